// The orchestrator drives every server the same way over IPC: report memory, publish bursts or a steady rate.
import { serve } from '../lib/ipc.mjs';

const memory = () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
};

export const serveBench = ({ port, path, publish, stats }) => {
  // A clean exit writes the CPU profile when the run asks for one (BENCH_PROFILE).
  process.on('SIGINT', () => process.exit(0));
  serve({
    memory: () => ({ memory: memory() }),
    stats: () => ({ stats: stats() }),
    // As fast as the server takes them: the run ends when the clients have received everything.
    async burst({ events }) {
      for (let i = 0; i < events; i++) {
        await publish();
        if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
      }
      return {};
    },
    async rate({ perSecond, events }) {
      const interval = 1000 / perSecond;
      const started = Date.now();
      for (let i = 0; i < events; i++) {
        const due = started + i * interval;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await publish();
      }
      return {};
    },
  });
  process.send({ ready: true, port, path });
};
