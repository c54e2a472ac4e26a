import type { Core } from '@strapi/strapi';
import type { ExampleApp } from './example-app';
import { expectOk, rest } from './rest';

type Role = { id: number; name: string; type: string };
const PERMISSION = 'plugin::users-permissions.permission';
const ROLE = 'plugin::users-permissions.role';
let sequence = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(sequence++).toString(36)}`;

export const findRole = async (strapi: Core.Strapi, type: string): Promise<Role> => {
  const role = await strapi.db.query(ROLE).findOne({ where: { type } });
  if (!role) throw new Error(`no role of type ${type}`);
  return role as Role;
};

const roleIdOf = async (strapi: Core.Strapi, role: number | string) =>
  typeof role === 'number' ? role : (await findRole(strapi, role)).id;

/** Gives a role (`'public'`, `'authenticated'`, or an id) content-API permissions such as `api::article.article.find`. */
export const grant = async (strapi: Core.Strapi, role: number | string, actions: string[]) => {
  const roleId = await roleIdOf(strapi, role);
  for (const action of actions) {
    const exists = await strapi.db.query(PERMISSION).findOne({ where: { action, role: roleId } });
    if (!exists) await strapi.db.query(PERMISSION).create({ data: { action, role: roleId } });
  }
};

/**
 * Takes content-API permissions from a role. By id: Strapi before ~5.2x cannot delete through a relation filter
 * (its SQL names a table it did not join), and the tests also run on the lowest Strapi 5 the peer range claims.
 */
export const revoke = async (strapi: Core.Strapi, role: number | string, actions: string[]) => {
  const roleId = await roleIdOf(strapi, role);
  const permissions = (await strapi.db.query(PERMISSION).findMany({ where: { action: { $in: actions }, role: roleId }, select: ['id'] })) as { id: number }[];
  if (permissions.length > 0) await strapi.db.query(PERMISSION).deleteMany({ where: { id: { $in: permissions.map(({ id }) => id) } } });
};

/** A custom users-permissions role with the given permissions. */
export const createRole = async (strapi: Core.Strapi, name: string, actions: string[]): Promise<Role> => {
  const role = (await strapi.db.query(ROLE).create({ data: { name, type: unique('role'), description: name } })) as Role;
  await grant(strapi, role.id, actions);
  return role;
};

export interface TestUser {
  id: number;
  documentId: string;
  username: string;
  email: string;
  password: string;
  jwt: string;
}

/** Registers a user over REST (as a front end would) and optionally moves it to another role. */
export const registerUser = async (app: ExampleApp, options: { roleId?: number } = {}): Promise<TestUser> => {
  const username = unique('user');
  const password = 'Str0ng-Passw0rd!';
  const body = expectOk(
    await rest(app, 'POST', '/api/auth/local/register', { body: { username, email: `${username}@example.test`, password } }),
    'register',
  );
  if (options.roleId) {
    await app.strapi.db.query('plugin::users-permissions.user').update({ where: { id: body.user.id }, data: { role: options.roleId } });
  }
  return { ...body.user, password, jwt: body.jwt };
};

export const blockUser = (strapi: Core.Strapi, userId: number, blocked = true) =>
  strapi.db.query('plugin::users-permissions.user').update({ where: { id: userId }, data: { blocked } });

/** Signs a users-permissions JWT with an expiry, like the login route does (expiresIn in seconds or a ms string). */
export const issueJwt = (strapi: Core.Strapi, userId: number, expiresIn: string | number) =>
  (strapi.plugin('users-permissions').service('jwt') as { issue(payload: object, options?: object): string }).issue(
    { id: userId },
    { expiresIn },
  );

export type ApiTokenType = 'read-only' | 'full-access' | 'custom';
export interface TestApiToken {
  id: number;
  accessKey: string;
  type: ApiTokenType;
}

/** Creates an API token through Strapi's admin service (what the admin panel does). */
export const createApiToken = async (
  strapi: Core.Strapi,
  type: ApiTokenType,
  permissions: string[] = [],
): Promise<TestApiToken> => {
  const service = strapi.service('admin::api-token') as unknown as {
    create(attributes: object): Promise<{ id: number; accessKey: string }>;
  };
  const token = await service.create({
    name: unique(`${type}-`),
    description: 'test token',
    type,
    lifespan: null,
    ...(type === 'custom' ? { permissions } : {}),
  });
  return { id: token.id, accessKey: token.accessKey, type };
};

/** Moves a token's expiry into the past (Strapi only lets you choose a lifespan of at least 7 days). */
export const expireApiToken = (strapi: Core.Strapi, tokenId: number, at = new Date(Date.now() - 1000)) =>
  strapi.db.query('admin::api-token').update({ where: { id: tokenId }, data: { expiresAt: at } });

export const deleteApiToken = (strapi: Core.Strapi, tokenId: number) =>
  (strapi.service('admin::api-token') as unknown as { revoke(id: number): Promise<unknown> }).revoke(tokenId);
