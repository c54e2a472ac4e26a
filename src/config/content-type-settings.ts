import type { ContentModel } from '../schema/content-model';
import type { ChangeAction, ContentTypeSelection, PopulateConfig, RealtimeConfig } from './types';
import { CHANGE_ACTIONS } from './types';
import { ConfigError } from './config-error';

/** What the plugin does for one content type, after the config was checked against the running app. */
export interface ContentTypeSettings {
  uid: string;
  actions: ReadonlySet<ChangeAction>;
  populate: PopulateConfig | undefined;
  /** Socket.IO event prefix (`article` in `article:create`). */
  eventPrefix: string;
  /** Waiting updates of a document are merged when delivery falls behind (latest version wins). */
  conflate: boolean;
}

/**
 * Resolves the normalized `contentTypes` against the app: v4 singular names become uids, unknown uids are a
 * config error (naming the key), and the default `'all-api'` becomes every `api::` content type.
 */
export const resolveContentTypeSettings = (
  app: { contentTypeUids(): string[]; getModel(uid: string): ContentModel | undefined },
  config: RealtimeConfig,
): Map<string, ContentTypeSettings> => {
  const contentTypes: Record<string, ContentModel> = {};
  for (const uid of app.contentTypeUids()) {
    const model = app.getModel(uid);
    if (model) contentTypes[uid] = model;
  }
  const settings = new Map<string, ContentTypeSettings>();

  const add = (uid: string, selection: Pick<ContentTypeSelection, 'actions' | 'populate' | 'eventPrefix' | 'conflate'>) => {
    settings.set(uid, {
      uid,
      actions: new Set(selection.actions),
      populate: selection.populate,
      eventPrefix: selection.eventPrefix ?? contentTypes[uid].info.singularName ?? uid,
      conflate: selection.conflate,
    });
  };

  if (config.contentTypes === 'all-api') {
    for (const uid of Object.keys(contentTypes).sort()) {
      if (uid.startsWith('api::')) add(uid, { actions: [...CHANGE_ACTIONS], populate: undefined, eventPrefix: undefined, conflate: false });
    }
    return settings;
  }

  config.contentTypes.forEach((selection, index) => {
    const uid = contentTypes[selection.uid]
      ? selection.uid
      : Object.values(contentTypes).find((ct) => ct.uid.startsWith('api::') && ct.info.singularName === selection.uid)?.uid;
    if (!uid) {
      throw new ConfigError(
        `contentTypes[${index}]`,
        'the uid of a content type of this app (e.g. "api::article.article") or, in the v4 map, its singular name',
        selection.uid,
      );
    }
    if (settings.has(uid)) throw new ConfigError(`contentTypes[${index}]`, 'each content type listed once', selection.uid);
    add(uid, selection);
  });
  return settings;
};
