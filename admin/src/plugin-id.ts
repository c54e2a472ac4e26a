/** The plugin's id: the package.json `strapi.name`, the admin routes' prefix and the translation namespace. */
export const PLUGIN_ID = 'realtime';
