/** What Socket.IO persists of a socket that dropped, to restore it when the client reconnects in time. */
export interface PersistedSession {
  sid: string;
  pid: string;
  rooms: string[];
  data: unknown;
}

/**
 * The sessions of sockets that dropped, kept for `ttlMs` (the replay window) and at most `maxSessions` (oldest out):
 * Socket.IO's connection state recovery restores a socket's id, rooms and data from here. Missed packets are not
 * kept: missed content events are replayed from the event log, authorized at replay time.
 */
export const createRecoverySessions = (options: { ttlMs: number; maxSessions: number; now?: () => number }) => {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, { session: PersistedSession; expiresAt: number }>();

  const dropExpired = () => {
    const time = now();
    for (const [pid, { expiresAt }] of sessions) {
      // Insertion order is expiry order (one ttl for all).
      if (expiresAt > time) break;
      sessions.delete(pid);
    }
  };

  return {
    save(session: PersistedSession) {
      dropExpired();
      sessions.delete(session.pid);
      sessions.set(session.pid, { session, expiresAt: now() + options.ttlMs });
      while (sessions.size > options.maxSessions) sessions.delete(sessions.keys().next().value!);
    },
    /** The session of `pid`, once (a session is restored at most once). */
    take(pid: string): PersistedSession | null {
      dropExpired();
      const kept = sessions.get(pid);
      sessions.delete(pid);
      return kept?.session ?? null;
    },
    get size() {
      dropExpired();
      return sessions.size;
    },
    clear: () => sessions.clear(),
  };
};

export type RecoverySessions = ReturnType<typeof createRecoverySessions>;
