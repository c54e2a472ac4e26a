import type { BusMessage, ChangeEvent, Entry, ManualEmit } from '../../events/change-event';
import { REFERENCE_ONLY_ACTIONS } from '../../events/change-event';
import type { ContentTypeSettings } from '../../config/content-type-settings';
import type { Pipeline } from '../../pipeline/pipeline';
import type { StrapiAdapter } from '../../strapi/strapi-adapter';
import type { Observability } from '../../observability/observability';
import { SOCKET_VERB, audienceRoomName, socketEventName } from '../../names/socket-io-names';
import type { ConnectionRegistry } from './connection-registry';
import { createPayloadProjection } from './payload-projection';
import type { RealtimeServer } from './types';

/**
 * Delivers bus messages to this node's sockets: one pipeline `prepare` and one broadcast per audience in use
 * (Socket.IO encodes a broadcast once), never work per socket. Broadcasts are `io.local`: the bus already
 * brought the message to every node, so a cluster adapter (Redis) must not carry it a second time.
 *
 * Entity subscribers are in their audience room too, which already brings them every event they may read;
 * the entity room is therefore not emitted to for content events (plugin-io sent a copy per role there).
 */
export const createContentDelivery = (options: {
  strapi: StrapiAdapter;
  io: RealtimeServer;
  pipeline: Pipeline;
  registry: ConnectionRegistry;
  settings: ReadonlyMap<string, ContentTypeSettings>;
  monitor: Observability;
}) => {
  const { strapi, io, pipeline, registry, settings, monitor } = options;
  const project = createPayloadProjection((uid) => strapi.getModel(uid), settings);

  /** `article` in `article:create`: the configured prefix, else the singular name (manual emits of any type). */
  const prefixOf = (uid: string) => settings.get(uid)?.eventPrefix ?? strapi.getModel(uid)?.info.singularName ?? uid;

  /** Returns how many audiences received the event. */
  const broadcast = async (subject: ChangeEvent | ManualEmit, eventName: string, shape: (payload: Entry) => Entry) => {
    const audiences = registry.audiences();
    if (audiences.length === 0) return 0;
    const payloads = await Promise.allSettled(audiences.map((audienceKey) => pipeline.prepare(subject, audienceKey)));
    let delivered = 0;
    payloads.forEach((outcome, index) => {
      // null = this audience may not read the type (or sanitizing failed): it gets nothing, never raw data.
      if (outcome.status !== 'fulfilled' || !outcome.value) return;
      const room = audienceRoomName(audiences[index]);
      io.local.to(room).emit(eventName, shape(outcome.value));
      delivered++;
      monitor.delivered('socket.io', subject, audiences[index], io.sockets.adapter.rooms.get(room)?.size ?? 0);
    });
    return delivered;
  };

  const deliverChange = async (event: ChangeEvent) => {
    const setting = settings.get(event.uid);
    const verb = SOCKET_VERB[event.action];
    if (!setting || !verb || !setting.actions.has(event.action)) return;
    // This wire has no draft view: plugin-io clients only ever see published content.
    if (event.status !== 'published') return;
    const eventName = socketEventName(setting.eventPrefix, verb);
    const shape = REFERENCE_ONLY_ACTIONS.has(event.action) ? (payload: Entry) => payload : (payload: Entry) => project(event.uid, payload);
    const audiences = await broadcast(event, eventName, shape);
    if (audiences > 0) {
      monitor.logEvent(verb, { transport: 'socket.io', event: eventName, uid: event.uid, documentId: event.documentId, audiences });
    }
  };

  /** `strapi.$io.emit(...)`: the data as the server gave it, sanitized per audience (no populate projection). */
  const deliverEmit = async (emit: ManualEmit) => {
    const eventName = socketEventName(prefixOf(emit.uid), emit.verb);
    const audiences = await broadcast(emit, eventName, (payload) => payload);
    if (audiences > 0) monitor.logEvent(emit.verb, { transport: 'socket.io', event: eventName, uid: emit.uid, audiences });
  };

  return (message: BusMessage): Promise<void> =>
    message.type === 'change' ? deliverChange(message.event) : deliverEmit(message.emit);
};
