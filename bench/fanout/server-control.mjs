// The orchestrator drives every server the same way over IPC: report memory, publish bursts or a steady rate.

const memory = () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
};

export const serveBench = ({ port, path, publish, stats }) => {
  // A clean exit writes the CPU profile when the run asks for one (BENCH_PROFILE).
  process.on('SIGINT', () => process.exit(0));
  process.on('message', async (message) => {
    if (message.cmd === 'memory') process.send({ reply: 'memory', memory: memory() });
    if (message.cmd === 'stats') process.send({ reply: 'stats', stats: stats() });
    if (message.cmd === 'burst') {
      // As fast as the server takes them: the run ends when the clients have received everything.
      for (let i = 0; i < message.events; i++) {
        await publish();
        if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
      }
      process.send({ reply: 'burst' });
    }
    if (message.cmd === 'rate') {
      const interval = 1000 / message.perSecond;
      const started = Date.now();
      for (let i = 0; i < message.events; i++) {
        const due = started + i * interval;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await publish();
      }
      process.send({ reply: 'rate' });
    }
  });
  process.send({ ready: true, port, path });
};
