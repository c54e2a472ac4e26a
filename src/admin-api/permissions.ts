import type { StrapiAdapter } from '../strapi/strapi-adapter';

/** The admin permission that shows the Realtime page and answers its API (Super Admin has every action). */
export const READ_ACTION = 'plugin::realtime.read';

/**
 * Registers the plugin's admin permission with Strapi's RBAC. Called in the plugin's bootstrap: Strapi runs
 * plugin bootstraps before the admin's own, which then grants every registered action to Super Admin and
 * removes stored permissions of actions nobody registered.
 */
export const registerAdminPermissions = (strapi: StrapiAdapter) =>
  strapi.registerAdminActions([
    { section: 'plugins', displayName: 'Read the Realtime page', uid: 'read', pluginName: 'realtime' },
  ]);
