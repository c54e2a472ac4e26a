export type Disposer = () => unknown | Promise<unknown>;

/** Collects what `bootstrap` started; `disposeAll` stops it in reverse order and never stops half-way. */
export const createDisposers = (onError: (error: unknown) => void) => {
  const disposers: Disposer[] = [];
  return {
    add(disposer: Disposer) {
      disposers.push(disposer);
    },
    async disposeAll() {
      while (disposers.length > 0) {
        try {
          await disposers.pop()!();
        } catch (error) {
          onError(error);
        }
      }
    },
  };
};

export type Disposers = ReturnType<typeof createDisposers>;
