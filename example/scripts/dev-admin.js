'use strict';

/** The development admin account `npm run start:admin` creates on a fresh database (override through the environment). */
const DEV_ADMIN = {
  email: process.env.EXAMPLE_ADMIN_EMAIL || 'admin@example.com',
  password: process.env.EXAMPLE_ADMIN_PASSWORD || 'Realtime-dev-1',
};

/**
 * Creates a Super Admin with the development credentials when the database has no admin user yet, so a newcomer
 * can log in at once. Development only: refuses to run with NODE_ENV=production.
 */
const ensureDevAdmin = async (strapi) => {
  if (process.env.NODE_ENV === 'production') throw new Error('the development admin account is never created in production');
  const users = strapi.service('admin::user');
  if ((await users.count()) > 0) return { created: false, ...DEV_ADMIN };
  const superAdmin = await strapi.service('admin::role').getSuperAdmin();
  await users.create({ ...DEV_ADMIN, firstname: 'Dev', lastname: 'Admin', isActive: true, roles: [superAdmin.id] });
  return { created: true, ...DEV_ADMIN };
};

module.exports = { ensureDevAdmin, DEV_ADMIN };
