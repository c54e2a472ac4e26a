import { useEffect, useRef, useState } from 'react';
import { useFetchClient } from '@strapi/strapi/admin';

export interface Polled<T> {
  data: T | null;
  /** Set while the latest request failed; `data` keeps the last good answer. */
  error: string | null;
  updatedAt: number | null;
}

/**
 * GETs `path` of the admin API now and then every `intervalMs` after each answer (never two requests at once),
 * with the admin session of `useFetchClient`. Stops on unmount.
 */
export const usePolling = <T,>(path: string, intervalMs: number | null): Polled<T> => {
  const { get } = useFetchClient();
  const [state, setState] = useState<Polled<T>>({ data: null, error: null, updatedAt: null });
  const getRef = useRef(get);
  getRef.current = get;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();
    const poll = async () => {
      try {
        const response = await getRef.current<{ data: T }>(path, { signal: controller.signal });
        if (!stopped) setState({ data: response.data.data, error: null, updatedAt: Date.now() });
      } catch (error) {
        if (!stopped) setState((previous) => ({ ...previous, error: error instanceof Error ? error.message : String(error) }));
      }
      if (!stopped && intervalMs !== null) timer = setTimeout(() => void poll(), intervalMs);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
    };
  }, [path, intervalMs]);

  return state;
};
