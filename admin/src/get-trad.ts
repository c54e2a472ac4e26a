import { PLUGIN_ID } from './plugin-id';

/** A translation id in the plugin's namespace (`realtime.page.title`), as `registerTrads` prefixes them. */
export const getTrad = (id: string) => `${PLUGIN_ID}.${id}`;
