import type { DeliverySlices } from '../../delivery/delivery-slices';
import type { RealtimeServer, RealtimeSocket } from './types';
import { bufferedBytesOf, holdEngineWrites, idleTcpSocketOf, tcpSocketOf } from './engine-internals';
import { textFrame } from '../websocket-frame';

/** Sockets written per chunk between two looks at the slice clock. */
const CHUNK = 256;
const EVENT_PACKET = 2;
/** engine.io's packet type for a message: what precedes every socket.io packet on the wire. */
const ENGINE_MESSAGE = Buffer.from('4');

type Message = { eventName: string; args: readonly unknown[] };
type Packet = { type: number; data: unknown[]; nsp: string };

/** socket.io calls this on each socket a broadcast reaches (its `onAnyOutgoing` listeners); private, so optional. */
type OutgoingListeners = { notifyOutgoingListeners?: (packet: Packet) => void };

const packetOf = ({ eventName, args }: Message): Packet => ({ type: EVENT_PACKET, data: [eventName, ...args], nsp: '/' });

/**
 * Emits events, in order, to every socket of a room, as `io.local.to(room).emit()` does for each, but in chunks: a
 * room of 10,000 sockets is written over several delivery slices, so REST requests run in between.
 *
 * The run is encoded once per room, as the WebSocket frames socket.io would send (socket.io's own encoder, behind
 * engine.io's message type), into one buffer that every socket of the room shares: a socket on WebSocket with
 * nothing pending in engine.io gets it in one write to its TCP socket (held until the slice ends), which is what
 * engine.io would have written, without its per-packet objects, events and callbacks for every socket. The others
 * (long-polling, a write in progress, packets waiting, binary payloads) go through the adapter as socket.io does,
 * which keeps their order. A socket holding more than `maxBufferedBytes` is not written to: `onSlow` disconnects it
 * (it resumes with its offset). Local only: the event log already brought the record to every node, a cluster
 * adapter must not carry it again. Returns how many sockets it was written to.
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

  /** The run as the frames engine.io would write, in one buffer; null when a packet is not one text frame (binary). */
  const framesOf = (packets: readonly Packet[]): Buffer | null => {
    const frames: Buffer[] = [];
    for (const packet of packets) {
      const encoded = io.encoder.encode(packet);
      if (encoded.length !== 1 || typeof encoded[0] !== 'string') return null;
      frames.push(textFrame(ENGINE_MESSAGE, Buffer.from(encoded[0])));
    }
    return frames.length === 1 ? frames[0] : Buffer.concat(frames);
  };

  /** Through the adapter, as `io.local.to(...).emit()`: engine.io queues and frames each packet per socket. */
  const throughAdapter = (sockets: readonly RealtimeSocket[], messages: readonly Message[]) => {
    if (sockets.length === 0) return;
    const releases: (() => void)[] = [];
    for (const socket of sockets) {
      // Several messages: engine.io sends them together (see holdEngineWrites).
      const release = messages.length > 1 ? holdEngineWrites(socket.conn) : null;
      if (release) releases.push(release);
    }
    try {
      const rooms = new Set(sockets.map((socket) => socket.id));
      // A fresh packet each time: adapters may annotate the one they are given.
      for (const message of messages) io.sockets.adapter.broadcast(packetOf(message), { rooms, except: new Set(), flags: { local: true } });
    } finally {
      // Never leave a connection unwritable, whatever the adapter did.
      for (const release of releases) release();
    }
  };

  const broadcast = async (room: string, messages: readonly Message[]): Promise<number> => {
    const members = io.sockets.adapter.rooms.get(room);
    if (!members || members.size === 0 || messages.length === 0) return 0;
    const ids = [...members];
    const packets = messages.map(packetOf);
    const frames = framesOf(packets);
    // Once per event and audience: close enough to size waiting packets.
    packetBytes = frames ? Math.ceil(frames.length / messages.length) : JSON.stringify(messages[messages.length - 1].args).length + 16;
    let written = 0;
    for (let start = 0; start < ids.length; start += CHUNK) {
      const others: RealtimeSocket[] = [];
      for (let i = start; i < Math.min(start + CHUNK, ids.length); i++) {
        const socket = io.sockets.sockets.get(ids[i]);
        if (!socket?.connected) continue;
        if (bufferedBytesOf(socket.conn, packetBytes) > maxBufferedBytes) {
          onSlow(socket);
          continue;
        }
        written++;
        const direct = frames ? idleTcpSocketOf(socket.conn) : null;
        if (!direct) {
          const tcp = tcpSocketOf(socket.conn);
          if (tcp) slices.hold(tcp);
          others.push(socket);
          continue;
        }
        const listeners = socket as unknown as OutgoingListeners;
        if (listeners.notifyOutgoingListeners) for (const packet of packets) listeners.notifyOutgoingListeners(packet);
        slices.hold(direct);
        direct.write(frames!);
      }
      throughAdapter(others, messages);
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
