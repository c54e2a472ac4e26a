import type { Adapter } from 'socket.io-adapter';
import type { EventLog } from '../../bus/event-log';
import type { ConnectionRegistry } from './connection-registry';
import type { RecoverySessions } from './recovery-sessions';
import type { RealtimeServer } from './types';

type Session = Awaited<ReturnType<Adapter['restoreSession']>>;
/** socket.io-adapter types `restoreSession` as never missing; socket.io itself treats `null` as "not restored". */
type SessionHooks = Pick<Adapter, 'persistSession'> & { restoreSession(pid: string, offset: string): Promise<Session | null> };

/**
 * Socket.IO's connection state recovery on our terms, on the main namespace's adapter (whichever one `hooks.init`
 * installed). A socket that drops is kept (id, rooms it joined itself, data) for the replay window, without the
 * principal's rooms: those follow the principal when it comes back. A reconnecting client (socket.io-client 4.6+,
 * no code change) sends its session id and the cursor of the last event it got: the session is restored only if
 * the event log can still serve that cursor, so `socket.recovered` is true exactly when nothing was lost. The
 * missed events themselves are not stored packets: they are replayed from the log, authorized at replay time.
 */
export const installConnectionRecovery = (options: {
  io: RealtimeServer;
  sessions: RecoverySessions;
  eventLog: Pick<EventLog, 'readAfter'>;
  registry: ConnectionRegistry;
}) => {
  const { io, sessions, eventLog, registry } = options;
  const adapter = io.of('/').adapter as unknown as SessionHooks;
  adapter.persistSession = (session) => {
    const principalRooms = new Set(registry.get(session.sid)?.rooms ?? []);
    sessions.save({ ...session, rooms: session.rooms.filter((room) => room !== session.sid && !principalRooms.has(room)) });
  };
  adapter.restoreSession = async (pid, offset) => {
    const session = sessions.take(pid);
    if (!session) return null;
    const read = await eventLog.readAfter(offset);
    return read.ok ? { ...session, missedPackets: [] } : null;
  };
};
