import type { Pipeline } from '../../pipeline/pipeline';
import type { StrapiAdapter } from '../../strapi/strapi-adapter';
import type { Observability } from '../../observability/observability';
import { entityRoomName, parseEntityRoomName } from '../../names/socket-io-names';
import type { Connection } from './connection-registry';
import type { EntitySubscription, EntitySubscriptionResult, EntitySubscriptionsResult, RealtimeSocket } from './types';

// plugin-io's ack texts, so clients that show or match them keep working.
export const ENTITY_ERRORS = {
  invalidParameters: 'Invalid parameters: uid and id are required',
  invalidUid: 'Invalid content type uid format',
  invalidId: 'Invalid entity id',
  tooMany: (max: number) => `Maximum subscriptions (${max}) reached`,
  unknownType: 'Content type not found',
  forbidden: 'Permission denied: no access to this content type',
  notFound: 'Entity not found',
  verificationFailed: 'Entity verification failed',
  socketNotFound: 'Socket not found',
} as const;

/** plugin-io's format, with `_` allowed (Strapi accepts it in API and model names). */
const UID_FORMAT = /^(api|plugin)::[a-z0-9_-]+\.[a-z0-9_-]+$/;
/** Numeric ids and documentIds; bounded so a client cannot create huge room names. */
const ID_FORMAT = /^[A-Za-z0-9_-]{1,64}$/;

type Target = { uid: string; id: string | number };

/** `{ uid, id }` or `{ uid, documentId }` from untrusted input, or the reason it is refused. */
export const parseEntityTarget = (input: unknown): Target | { error: string } => {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return { error: ENTITY_ERRORS.invalidParameters };
  const { uid, id, documentId } = input as Record<string, unknown>;
  const target = id ?? documentId;
  if (!uid || !target) return { error: ENTITY_ERRORS.invalidParameters };
  if (typeof uid !== 'string' || !UID_FORMAT.test(uid)) return { error: ENTITY_ERRORS.invalidUid };
  if (typeof target === 'number') {
    if (!Number.isSafeInteger(target) || target < 1) return { error: ENTITY_ERRORS.invalidId };
  } else if (typeof target !== 'string' || !ID_FORMAT.test(target)) {
    return { error: ENTITY_ERRORS.invalidId };
  }
  return { uid, id: target };
};

export const entitySubscriptionsOf = (socket: { rooms: Set<string> }): EntitySubscription[] =>
  [...socket.rooms].flatMap((room) => {
    const parsed = parseEntityRoomName(room);
    return parsed ? [{ ...parsed, room }] : [];
  });

/**
 * plugin-io's entity subscriptions (`uid:id` rooms), with our rules: subscribing needs READ permission for the
 * socket's audience, the entity must exist, and a socket holds at most `maxPerSocket` of them.
 */
export const createEntitySubscriptions = (options: {
  strapi: StrapiAdapter;
  pipeline: Pipeline;
  maxPerSocket: number;
  monitor: Observability;
  connectionOf: (socket: RealtimeSocket) => Connection | undefined;
}) => {
  const { strapi, pipeline, maxPerSocket, monitor, connectionOf } = options;

  /** A version the audience could know of: only published ones when drafts are not available to it. */
  const exists = async (uid: string, id: string | number, audienceKey: string) => {
    const draftAndPublish = strapi.getModel(uid)?.options?.draftAndPublish === true;
    const publishedOnly = draftAndPublish && !(await pipeline.canReadDrafts(audienceKey, uid));
    return strapi.entryExists(uid, typeof id === 'number' || /^\d+$/.test(id) ? { id: Number(id) } : { documentId: id }, { publishedOnly });
  };

  return {
    async subscribe(socket: RealtimeSocket, input: unknown): Promise<EntitySubscriptionResult> {
      const target = parseEntityTarget(input);
      if ('error' in target) return { success: false, error: target.error };
      const { uid, id } = target;
      const room = entityRoomName(uid, id);
      const connection = connectionOf(socket);
      if (!connection || !socket.connected) return { success: false, error: ENTITY_ERRORS.socketNotFound };
      if (!socket.rooms.has(room) && entitySubscriptionsOf(socket).length >= maxPerSocket) {
        return { success: false, error: ENTITY_ERRORS.tooMany(maxPerSocket) };
      }
      if (strapi.getModel(uid)?.modelType !== 'contentType') return { success: false, error: ENTITY_ERRORS.unknownType };
      if (!(await pipeline.canRead(connection.principal.audienceKey, uid))) return { success: false, error: ENTITY_ERRORS.forbidden };
      try {
        if (!(await exists(uid, id, connection.principal.audienceKey))) return { success: false, error: ENTITY_ERRORS.notFound };
      } catch (error) {
        strapi.log.warn(`verifying ${room} failed`, error);
        return { success: false, error: ENTITY_ERRORS.verificationFailed };
      }
      // The checks awaited: the socket may have gone, or filled its quota with parallel requests.
      if (!socket.connected) return { success: false, error: ENTITY_ERRORS.socketNotFound };
      if (!socket.rooms.has(room) && entitySubscriptionsOf(socket).length >= maxPerSocket) {
        return { success: false, error: ENTITY_ERRORS.tooMany(maxPerSocket) };
      }
      void socket.join(room);
      monitor.logEvent('entity-subscribe', { socketId: socket.id, uid, id, room });
      return { success: true, room, uid, id };
    },

    unsubscribe(socket: RealtimeSocket, input: unknown): EntitySubscriptionResult {
      const target = parseEntityTarget(input);
      if ('error' in target) return { success: false, error: target.error };
      const { uid, id } = target;
      const room = entityRoomName(uid, id);
      if (socket.rooms.has(room)) {
        void socket.leave(room);
        monitor.logEvent('entity-unsubscribe', { socketId: socket.id, uid, id, room });
      }
      return { success: true, room, uid, id };
    },

    list(socket: RealtimeSocket): EntitySubscriptionsResult {
      return { success: true, subscriptions: entitySubscriptionsOf(socket) };
    },

    /** After an audience change: drop the subscriptions the new audience may not read. */
    async recheck(connection: Connection) {
      for (const { uid, room } of entitySubscriptionsOf(connection.socket)) {
        if (!(await pipeline.canRead(connection.principal.audienceKey, uid))) void connection.socket.leave(room);
      }
    },
  };
};

export type EntitySubscriptions = ReturnType<typeof createEntitySubscriptions>;
