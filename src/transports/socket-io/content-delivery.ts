import type { Entry } from '../../events/change-event';
import { REFERENCE_ONLY_ACTIONS } from '../../events/change-event';
import type { GapReason, LogRecord, MessageRecord } from '../../events/log-record';
import type { ContentTypeSettings } from '../../config/content-type-settings';
import type { Pipeline } from '../../pipeline/pipeline';
import type { StrapiAdapter } from '../../strapi/strapi-adapter';
import type { Observability } from '../../observability/observability';
import { GAP_EVENT, SOCKET_VERB, audienceRoomName, socketEventName } from '../../names/socket-io-names';
import type { ConnectionRegistry } from './connection-registry';
import { createPayloadProjection } from './payload-projection';
import type { RealtimeServer, RealtimeSocket } from './types';
import type { Tracer } from '../../observability/trace';
import type { RoomBroadcast } from './room-broadcast';

/** What one record becomes on the wire for one audience. */
interface Outgoing {
  eventName: string;
  payload: Entry;
}

/**
 * Delivers event log records to this node's sockets: one pipeline `prepare` and one broadcast per audience in use
 * (Socket.IO encodes a broadcast once), never work per socket. Broadcasts are `io.local`: the log already brought
 * the record to every node, so a cluster adapter (Redis) must not carry it a second time.
 *
 * Each event carries its cursor as its last argument when connection state recovery is on: socket.io-client (4.6+)
 * keeps it as its offset and sends it back when it reconnects, and `replayTo` brings that socket up to date through
 * the same `outgoing` as live delivery, authorized for its audience at that moment.
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
  /** Whether events carry their cursor (connection state recovery on). */
  withCursor: boolean;
  /** Writes to an audience room in slices. */
  rooms: RoomBroadcast;
  trace: Tracer;
}) => {
  const { strapi, io, pipeline, registry, settings, monitor, withCursor, rooms, trace } = options;
  const project = createPayloadProjection((uid) => strapi.getModel(uid), settings);

  /** `article` in `article:create`: the configured prefix, else the singular name (manual emits of any type). */
  const prefixOf = (uid: string) => settings.get(uid)?.eventPrefix ?? strapi.getModel(uid)?.info.singularName ?? uid;

  /** The event name of a record, or null when this wire does not carry it. */
  const eventNameOf = (record: MessageRecord): string | null => {
    const { message } = record;
    if (message.type === 'emit') return socketEventName(prefixOf(message.emit.uid), message.emit.verb);
    const { event } = message;
    const setting = settings.get(event.uid);
    const verb = SOCKET_VERB[event.action];
    // This wire has no draft view: plugin-io clients only ever see published content.
    if (!setting || !verb || !setting.actions.has(event.action) || event.status !== 'published') return null;
    return socketEventName(setting.eventPrefix, verb);
  };

  /**
   * A record as one audience receives it, or null (it may not read the type, sanitizing failed: nothing, never raw
   * data). Changes are projected to the configured `populate`; `$io.emit` data goes as given, sanitized.
   */
  const outgoing = async (record: MessageRecord, eventName: string, audienceKey: string): Promise<Outgoing | null> => {
    const subject = record.message.type === 'change' ? record.message.event : record.message.emit;
    const payload = await pipeline.prepare(subject, audienceKey);
    if (!payload) return null;
    const reference = record.message.type === 'change' && REFERENCE_ONLY_ACTIONS.has(record.message.event.action);
    const shaped = record.message.type === 'change' && !reference ? project(subject.uid, payload) : payload;
    return { eventName, payload: shaped };
  };

  const args = (record: LogRecord, payload: unknown) => (withCursor ? [payload, record.id] : [payload]);

  /** The gap signal: `realtime:gap` with the reason and the cursor to resume from (as the offset too). */
  const gapArgs = (reason: GapReason, cursor: string | null) =>
    withCursor && cursor ? [{ reason, cursor }, cursor] : [{ reason, cursor }];

  const subjectOf = (record: MessageRecord) => (record.message.type === 'change' ? record.message.event : record.message.emit);

  /**
   * A run of records (one when delivery keeps up) to every audience room: each record prepared once per audience,
   * then each room written once with all of its messages in order (a socket gets the run in one write).
   */
  const broadcast = async (run: readonly { record: MessageRecord; eventName: string }[]) => {
    const audiences = registry.audiences();
    if (run.length === 0 || audiences.length === 0) return;
    const prepared = await Promise.all(run.map(({ record, eventName }) => Promise.allSettled(audiences.map((audienceKey) => outgoing(record, eventName, audienceKey)))));
    const reached = run.map(() => 0);
    // One audience after the other: each room is written in slices, its messages in log order.
    for (const [index, audienceKey] of audiences.entries()) {
      const messages: { eventName: string; args: unknown[] }[] = [];
      const delivered: { record: MessageRecord; eventName: string }[] = [];
      run.forEach(({ record, eventName }, position) => {
        const outcome = prepared[position][index];
        if (outcome.status !== 'fulfilled' || !outcome.value) {
          if (trace.enabled) trace.step(subjectOf(record).id, `socket.io audience ${audienceKey}`, 'not delivered: it may not read it (or sanitizing failed)');
          return;
        }
        messages.push({ eventName, args: args(record, outcome.value.payload) });
        delivered.push({ record, eventName });
        reached[position]++;
      });
      if (messages.length === 0) continue;
      const written = await rooms.broadcast(audienceRoomName(audienceKey), messages);
      for (const { record, eventName } of delivered) {
        if (trace.enabled) trace.step(subjectOf(record).id, `socket.io audience ${audienceKey}`, `${eventName} to ${written} socket(s)`);
        monitor.delivered('socket.io', subjectOf(record), audienceKey, written);
      }
    }
    run.forEach(({ record: { message }, eventName }, position) => {
      if (reached[position] === 0) return;
      monitor.logEvent(message.type === 'change' ? (SOCKET_VERB[message.event.action] ?? message.event.action) : message.emit.verb, {
        transport: 'socket.io',
        event: eventName,
        uid: message.type === 'change' ? message.event.uid : message.emit.uid,
        ...(message.type === 'change' ? { documentId: message.event.documentId } : {}),
        audiences: reached[position],
      });
    });
  };

  return {
    /** Live: records, in order, to every socket of this node that may see them. */
    async deliver(records: readonly LogRecord[]): Promise<void> {
      let run: { record: MessageRecord; eventName: string }[] = [];
      for (const record of records) {
        if (record.kind === 'gap') {
          await broadcast(run);
          run = [];
          io.local.emit(GAP_EVENT, ...gapArgs(record.reason, record.id));
          continue;
        }
        const eventName = eventNameOf(record);
        if (eventName) run.push({ record, eventName });
      }
      await broadcast(run);
    },

    /** Replay: the records a reconnecting socket missed, in order, for its audience now. */
    async replayTo(socket: RealtimeSocket, audienceKey: string, records: readonly LogRecord[]) {
      for (const record of records) {
        if (!socket.connected) return;
        if (record.kind === 'gap') {
          socket.emit(GAP_EVENT, ...gapArgs(record.reason, record.id));
          continue;
        }
        const eventName = eventNameOf(record);
        const message = eventName ? await outgoing(record, eventName, audienceKey) : null;
        if (message) socket.emit(message.eventName, ...args(record, message.payload));
      }
    },

    /** Tells one socket it cannot be brought up to date (it must refetch), and where to resume from. */
    gapTo(socket: RealtimeSocket, reason: GapReason, cursor: string | null) {
      socket.emit(GAP_EVENT, ...gapArgs(reason, cursor));
    },
  };
};

export type ContentDelivery = ReturnType<typeof createContentDelivery>;
