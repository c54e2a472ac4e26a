import { TokenError } from './connection-error.js';

/** Returns the current credential (a users-permissions JWT or an API token), or nothing for the Public role. */
export type TokenGetter = () => string | null | undefined | Promise<string | null | undefined>;

export interface CredentialOptions {
  /** A fixed credential: a users-permissions JWT or a Strapi API token. Omit both for the Public role. */
  token?: string | null;
  /**
   * Called before every (re)connection, so a refreshed token is sent after the server closed the connection
   * because the previous one expired. Takes precedence over `token`.
   */
  getToken?: TokenGetter;
}

/** One way to read the credential, whichever option was given; a failing `getToken` becomes a TokenError. */
export const tokenSource = (options: CredentialOptions): (() => Promise<string | null>) => {
  const { getToken } = options;
  if (!getToken) {
    const token = options.token || null;
    return async () => token;
  }
  return async () => {
    try {
      return (await getToken()) || null;
    } catch (error) {
      throw new TokenError(error instanceof Error ? error.message : String(error), { cause: error });
    }
  };
};

export const authorizationOf = (token: string | null): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
