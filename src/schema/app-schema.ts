import type { RealtimeConfig } from '../config/types';
import type { ContentTypeSettings } from '../config/content-type-settings';
import { populatedFieldNames } from '../capture/populate';
import { SOCKET_VERB, socketEventName } from '../names/socket-io-names';
import { buildRealtimeSchema } from './build-schema';
import type { GetModel } from './content-model';

/**
 * The subscription schema of one app, as served: its enabled content types and actions, and (Socket.IO on) the
 * Socket.IO event of each field for codegen. The CLI and `npm run generate` print the same schema.
 */
export const buildAppSchema = (getModel: GetModel, options: { config: RealtimeConfig; settings: ReadonlyMap<string, ContentTypeSettings> }) => {
  const { config, settings } = options;
  return buildRealtimeSchema({
    getModel,
    contentTypes: [...settings.values()],
    sensitiveFields: new Set(config.sensitiveFields),
    socketEvent: config.socket.enabled
      ? (uid, action) => {
          const setting = settings.get(uid);
          const verb = SOCKET_VERB[action];
          if (!setting || !verb) return null;
          return { name: socketEventName(setting.eventPrefix, verb), populate: [...populatedFieldNames(getModel, uid, setting.populate)] };
        }
      : undefined,
  });
};
