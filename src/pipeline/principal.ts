/** Who is on the other end of a connection. Authorization never looks at the individual, only at its audience. */
export interface Principal {
  kind: 'public' | 'user' | 'api-token';
  /** The permission class: `role:<id>` (Public role included) or `api-token:<id>`. */
  audienceKey: string;
  roleId?: number;
  roleName?: string;
  user?: { id: number; documentId?: string; username?: string; email?: string };
  apiToken?: { id: number; name: string; type: string };
  /** Epoch ms after which the credential is no longer valid; `null` = never expires. */
  expiresAt: number | null;
  /** The raw credential, kept in memory only, to re-check the principal when users or tokens change. */
  credential: string | null;
}
