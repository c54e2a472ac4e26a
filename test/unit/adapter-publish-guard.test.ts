/**
 * The guard on a Socket.IO Redis adapter's publishes (the real adapter against a stopped Redis is in
 * test/integration/redis-event-log.test.ts): a failing publish is logged at most once every 10 s, never left unhandled.
 */
import { describe, expect, it } from 'vitest';
import { guardAdapterPublishes } from '../../src/transports/socket-io/adapter-publish-guard';
import type { Log } from '../../src/log';

const recordingLog = () => {
  const warnings: string[] = [];
  const log: Log = { debug: () => undefined, info: () => undefined, warn: (message) => void warnings.push(message), error: () => undefined };
  return { log, warnings };
};
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('guardAdapterPublishes', () => {
  it('catches what publish and sPublish reject, warns at most once every 10 s, and still hands the promise to the caller', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const calls: unknown[][] = [];
      const pubClient = {
        publish: (...args: unknown[]) => (calls.push(args), Promise.reject(new Error('read ECONNRESET'))),
        sPublish: () => Promise.reject(new Error('connect ECONNREFUSED')),
      };
      const { log, warnings } = recordingLog();
      expect(guardAdapterPublishes({ pubClient }, log)).toBe(true);
      // As the adapter calls it: the promise dropped.
      for (let i = 0; i < 100; i++) void pubClient.publish('channel', `message ${i}`);
      void pubClient.sPublish();
      // A caller that does await it still sees the failure.
      await expect(pubClient.publish('channel', 'awaited')).rejects.toThrow('read ECONNRESET');
      await turn();
      expect(calls).toHaveLength(101);
      expect(calls[0]).toEqual(['channel', 'message 0']);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/broadcast to other nodes failed/);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a client it cannot change is left as it is, with a warning, and the boot goes on', () => {
    const { log, warnings } = recordingLog();
    const pubClient = Object.freeze({ publish: () => Promise.resolve(1) });
    expect(guardAdapterPublishes({ pubClient }, log)).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/could not guard the Socket.IO adapter's publish/)]);
  });

  it('leaves adapters without a Redis publisher alone', () => {
    const { log } = recordingLog();
    expect(guardAdapterPublishes({}, log)).toBe(false);
    expect(guardAdapterPublishes(null, log)).toBe(false);
    expect(guardAdapterPublishes({ pubClient: { subscribe: () => undefined } }, log)).toBe(false);
  });
});
