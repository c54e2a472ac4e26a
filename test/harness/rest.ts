import type { ExampleApp } from './example-app';

export interface RestResponse<T = any> {
  status: number;
  body: T;
}

/** A content-API call over real HTTP, as a client would make it. */
export const rest = async <T = any>(
  app: Pick<ExampleApp, 'httpUrl'>,
  method: string,
  path: string,
  { token, body }: { token?: string | null; body?: unknown } = {},
): Promise<RestResponse<T>> => {
  const response = await fetch(`${app.httpUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
};

/** Fails loudly with the server's answer when a setup call does not succeed. */
export const expectOk = <T>(response: RestResponse<T>, what: string): T => {
  if (response.status >= 300) throw new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
};
