// Request/response over a child's IPC channel: the runner asks `{ cmd, ...args }`, the child answers
// `{ reply: cmd, ...result }`. Waits are bounded, and a child that exits while awaited fails the wait at once.

/** The first message of `child` that satisfies `predicate`; rejects when the child exits or after `timeoutMs`. */
export const once = (child, predicate, timeoutMs = 600_000, what = 'a message') =>
  new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onExit = (code, signal) => {
      done();
      reject(new Error(`process ${child.pid} exited (${code ?? signal}) while waiting for ${what}`));
    };
    const onMessage = (message) => {
      if (!predicate(message)) return;
      done();
      resolve(message);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`process ${child.pid}: no ${what} within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });

/** Sends `cmd` and waits for its reply. */
export const ask = (child, cmd, extra = {}, timeoutMs = 600_000) => {
  const answer = once(child, (m) => m?.reply === cmd, timeoutMs, `the reply to ${cmd}`);
  child.send({ cmd, ...extra });
  return answer;
};

/**
 * Child side: answers each `{ cmd }` with what its handler returns (`undefined`: no reply). A handler that throws
 * answers `{ reply: cmd, error }`. The child exits when the runner goes away (its IPC channel closes), so a runner
 * killed without cleanup leaves nothing running.
 */
export const serve = (handlers) => {
  process.on('message', async (message) => {
    const handler = handlers[message?.cmd];
    if (!handler) return;
    try {
      const result = await handler(message);
      if (result !== undefined) process.send({ reply: message.cmd, ...result });
    } catch (error) {
      process.send({ reply: message.cmd, error: String(error?.stack ?? error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
};
