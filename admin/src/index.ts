import { Lightning } from '@strapi/icons';
import { PLUGIN_ID } from './plugin-id';
import { getTrad } from './get-trad';
import { READ_PERMISSIONS } from './permissions';

type Translations = Record<string, string>;

/** Locales shipped with the plugin; others fall back to the English `defaultMessage`s. */
const translations: Record<string, () => Promise<{ default: Translations }>> = {
  en: () => import('./translations/en.json'),
};

interface AdminApp {
  addMenuLink(link: object): void;
  registerPlugin(plugin: object): void;
}

export default {
  register(app: AdminApp) {
    // The menu shows the link only to admins with the permission; the page checks it again (Page.Protect).
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Lightning,
      intlLabel: { id: getTrad('plugin.name'), defaultMessage: 'Realtime' },
      permissions: READ_PERMISSIONS,
      Component: () => import('./pages/realtime-page'),
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Realtime' });
  },

  bootstrap() {},

  async registerTrads({ locales }: { locales: string[] }) {
    return Promise.all(
      locales.map(async (locale) => {
        const load = translations[locale];
        if (!load) return { data: {}, locale };
        const { default: data } = await load();
        return { data: Object.fromEntries(Object.entries(data).map(([key, value]) => [getTrad(key), value])), locale };
      }),
    );
  },
};
