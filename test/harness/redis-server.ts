import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

const reachable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = connect(port, '127.0.0.1');
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });

/**
 * A redis-server of the test's own on a free port, which it may stop and start again (a Redis restart). It keeps
 * its data across restarts (AOF in a temporary directory), as a production Redis for the event stream should.
 */
export const startRedisServer = async (options: { secure?: boolean } = {}) => {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'realtime-redis-'));
  let process: ChildProcess | null = null;
  // `secure`: TLS only (a self-signed certificate for 127.0.0.1) and an ACL user; the default user is off.
  const caFile = join(dir, 'cert.pem');
  if (options.secure) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', caFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  }
  const listen = options.secure
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', caFile, '--tls-key-file', join(dir, 'key.pem'), '--tls-ca-cert-file', caFile, '--tls-auth-clients', 'no', '--user', 'default', 'off', '--user', 'realtime', 'on', '>s3cret', '~*', '&*', '+@all']
    : ['--port', String(port)];

  const start = async () => {
    process = spawn('redis-server', [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir], { stdio: 'ignore' });
    await waitFor(() => reachable(port), `redis-server on ${port}`, 10_000);
  };
  const stop = async () => {
    const running = process;
    process = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    url: options.secure ? `rediss://realtime:s3cret@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
    /** The certificate a client must trust (NODE_EXTRA_CA_CERTS), with `secure`. */
    caFile,
    port,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

export type RedisServer = Awaited<ReturnType<typeof startRedisServer>>;
