import type { DeliverySlices } from '../../delivery/delivery-slices';
import type { RealtimeServer, RealtimeSocket } from './types';
import { bufferedBytesOf, holdEngineWrites, tcpSocketOf } from './engine-internals';

/** Sockets written per adapter broadcast (one encoding each) between two looks at the slice clock. */
const CHUNK = 256;
const EVENT_PACKET = 2;

/**
 * Emits events, in order, to every socket of a room, as `io.local.to(room).emit()` does for each (encoded once per
 * chunk, the adapter's pre-built WebSocket frame), but in chunks: a room of 10,000 sockets is written over several
 * delivery slices, so REST requests run in between, and what one slice writes to a socket leaves in one write. A socket
 * holding more than `maxBufferedBytes` is not written to: `onSlow` disconnects it (it resumes with its offset).
 * Local only: the event log already brought the record to every node, a cluster adapter must not carry it again.
 * Returns how many sockets it was written to.
 */
export const createRoomBroadcast = (options: {
  io: RealtimeServer;
  slices: DeliverySlices;
  maxBufferedBytes: number;
  onSlow: (socket: RealtimeSocket) => void;
}) => {
  const { io, slices, maxBufferedBytes, onSlow } = options;
  /** The size of the latest packet: what the budget counts per packet waiting in engine.io's buffer. */
  let packetBytes = 0;

  const broadcast = async (room: string, messages: readonly { eventName: string; args: readonly unknown[] }[]): Promise<number> => {
    const members = io.sockets.adapter.rooms.get(room);
    if (!members || members.size === 0 || messages.length === 0) return 0;
    const ids = [...members];
    // Once per event and audience (the adapter's encoding is not exposed): close enough to size waiting packets.
    const last = messages[messages.length - 1];
    packetBytes = JSON.stringify(last.args).length + last.eventName.length + 8;
    let written = 0;
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = new Set<string>();
      const releases: (() => void)[] = [];
      for (let i = start; i < Math.min(start + CHUNK, ids.length); i++) {
        const socket = io.sockets.sockets.get(ids[i]);
        if (!socket?.connected) continue;
        if (bufferedBytesOf(socket.conn, packetBytes) > maxBufferedBytes) {
          onSlow(socket);
          continue;
        }
        const tcp = tcpSocketOf(socket.conn);
        if (tcp) slices.hold(tcp);
        // Several messages: engine.io sends them together (see holdEngineWrites).
        const release = messages.length > 1 ? holdEngineWrites(socket.conn) : null;
        if (release) releases.push(release);
        chunk.add(socket.id);
      }
      try {
        if (chunk.size > 0) {
          for (const { eventName, args } of messages) {
            // A fresh packet each time: adapters may annotate the one they are given.
            io.sockets.adapter.broadcast({ type: EVENT_PACKET, data: [eventName, ...args], nsp: '/' }, { rooms: chunk, except: new Set(), flags: { local: true } });
          }
          written += chunk.size;
        }
      } finally {
        // Never leave a connection unwritable, whatever the adapter did.
        for (const release of releases) release();
      }
      const pause = slices.pace();
      if (pause) await pause;
    }
    return written;
  };

  return {
    broadcast,
    /** Bytes waiting for one socket's client (for the global budget). */
    bufferedBytes: (socket: RealtimeSocket) => bufferedBytesOf(socket.conn, packetBytes),
  };
};

export type RoomBroadcast = ReturnType<typeof createRoomBroadcast>;
