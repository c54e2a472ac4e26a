import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of the app that a test can cut, like a train tunnel or a laptop lid: `drop()` destroys every
 * connection and refuses new ones until `restore()`. `retarget()` points it at another port (a restarted app), so
 * clients keep one address across a server restart.
 */
export const startDropProxy = async (targetPort: number) => {
  let target = targetPort;
  let dropped = false;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (dropped) return client.destroy();
    const upstream = connect(target, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    drop() {
      dropped = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore() {
      dropped = false;
    },
    retarget(port: number) {
      target = port;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
};

export type DropProxy = Awaited<ReturnType<typeof startDropProxy>>;
