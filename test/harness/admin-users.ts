import type { Core } from '@strapi/strapi';
import type { ExampleApp } from './example-app';
import { expectOk, rest } from './rest';

/** Strapi's default admin roles (created on a fresh database). */
export type AdminRoleCode = 'strapi-super-admin' | 'strapi-editor' | 'strapi-author';

export interface AdminUser {
  id: number;
  email: string;
  password: string;
  roleId: number;
}

export const adminRoleId = async (strapi: Core.Strapi, code: AdminRoleCode): Promise<number> => {
  const role = (await strapi.db.query('admin::role').findOne({ where: { code } })) as { id: number } | null;
  if (!role) throw new Error(`admin role ${code} not found`);
  return role.id;
};

let counter = 0;

/** An active admin user with one of the default roles, created with Strapi's own admin user service. */
export const createAdminUser = async (strapi: Core.Strapi, code: AdminRoleCode): Promise<AdminUser> => {
  const roleId = await adminRoleId(strapi, code);
  const email = `${code}-${process.pid}-${++counter}@example.com`;
  const password = 'Test-admin-1234';
  const user = (await strapi.service('admin::user').create({ email, firstname: 'Test', lastname: code, password, isActive: true, roles: [roleId] })) as {
    id: number;
  };
  return { id: user.id, email, password, roleId };
};

/** Logs in over the admin API (`POST /admin/login`) and returns the admin access token. */
export const adminLogin = async (app: ExampleApp, user: Pick<AdminUser, 'email' | 'password'>): Promise<string> =>
  expectOk(await rest<{ data: { token: string } }>(app, 'POST', '/admin/login', { body: { email: user.email, password: user.password } }), 'admin login').data.token;

/** Gives an admin role one more permission (what Settings → Roles does). */
export const grantAdminPermission = (strapi: Core.Strapi, roleId: number, action: string) =>
  strapi.service('admin::role').addPermissions(roleId, [{ action, subject: null, properties: {}, conditions: [] }]);
