import pg from 'pg';
import { TEST_DATABASE_PREFIX, postgresServer } from '../harness/example-database';

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Before the PostgreSQL projects: the server must answer (a clear message instead of every test failing), and the
 * test databases of runs that were killed before they could drop them (their process is gone) are dropped. Each
 * booted app creates and drops its own database (test/harness/example-database.ts); other runs on this machine
 * (other worktrees) keep theirs, as their process is alive.
 */
export default async function preparePostgres() {
  const server = postgresServer();
  const client = new pg.Client({ ...server, database: 'postgres' });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${server.host}:${server.port} as ${server.user} (${(error as Error).message}). ` +
        'Start it (pg_ctlcluster 15 main start) or point DATABASE_HOST, DATABASE_PORT, DATABASE_USERNAME, DATABASE_PASSWORD at one.',
    );
  }
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [TEST_DATABASE_PREFIX]);
    for (const { datname } of rows) {
      const pid = Number(datname.slice(TEST_DATABASE_PREFIX.length).split('_')[0]);
      if (Number.isInteger(pid) && !isRunning(pid)) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
