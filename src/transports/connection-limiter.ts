import type { ConnectionLimitsConfig } from '../config/types';

export type ConnectionRefusal = {
  /** HTTP status of the refusal: 503 when the server is full, 429 when this address holds too many. */
  status: 503 | 429;
  code: 'TOO_MANY_CONNECTIONS' | 'TOO_MANY_CONNECTIONS_FROM_ADDRESS';
  message: string;
};

export type Admission = { ok: true; release: () => void } | { ok: false; refusal: ConnectionRefusal };

/**
 * One budget of live connections shared by every transport (graphql-ws sockets, SSE streams and reservations,
 * Socket.IO sockets), in total and per client address, so one address cannot hold all the server's sockets. A
 * ticket is taken when a connection is admitted and released exactly once when it ends.
 */
export const createConnectionLimiter = (limits: ConnectionLimitsConfig) => {
  const byAddress = new Map<string, number>();
  let total = 0;

  return {
    admit(address: string): Admission {
      if (total >= limits.maxConnections) {
        return { ok: false, refusal: { status: 503, code: 'TOO_MANY_CONNECTIONS', message: 'The server has too many connections; try again later.' } };
      }
      const held = byAddress.get(address) ?? 0;
      if (held >= limits.maxConnectionsPerAddress) {
        return {
          ok: false,
          refusal: { status: 429, code: 'TOO_MANY_CONNECTIONS_FROM_ADDRESS', message: `Too many connections from this address (the maximum is ${limits.maxConnectionsPerAddress}).` },
        };
      }
      total++;
      byAddress.set(address, held + 1);
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          total--;
          const left = (byAddress.get(address) ?? 1) - 1;
          if (left > 0) byAddress.set(address, left);
          else byAddress.delete(address);
        },
      };
    },
    stats: () => ({ connections: total, addresses: byAddress.size }),
  };
};

export type ConnectionLimiter = ReturnType<typeof createConnectionLimiter>;
