import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A database of its own for one booted example app (or several boots of the same app). */
export interface ExampleDatabase {
  /** What example/config/database.js reads to use this database (also for child processes). */
  readonly env: Record<string, string>;
  /** For messages: `sqlite /tmp/.../data.db` or `postgres realtime_...`. */
  readonly description: string;
  /** Removes it (the app using it must be stopped first). */
  drop(): Promise<void>;
}

/**
 * Which database the integration tests run on: `DATABASE_CLIENT=postgres` (a vitest project sets it) selects
 * PostgreSQL at `DATABASE_HOST`:`DATABASE_PORT` (default 127.0.0.1:5432, user postgres); anything else SQLite.
 */
export const databaseClient = (): 'sqlite' | 'postgres' => (process.env.DATABASE_CLIENT === 'postgres' ? 'postgres' : 'sqlite');

/** The PostgreSQL server the tests use (Strapi's template variables, defaults for this machine's trust-auth server). */
export const postgresServer = () => ({
  host: process.env.DATABASE_HOST ?? '127.0.0.1',
  port: Number(process.env.DATABASE_PORT ?? 5432),
  user: process.env.DATABASE_USERNAME ?? 'postgres',
  password: process.env.DATABASE_PASSWORD ?? '',
});

/** Runs one statement on the server's maintenance database (CREATE/DROP DATABASE cannot run inside the target). */
const onServer = async (sql: string) => {
  const client = new pg.Client({ ...postgresServer(), database: 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/** Databases the tests create are named `realtime_test_<pid>_<random>`: test/setup/postgres.ts drops those of dead runs. */
export const TEST_DATABASE_PREFIX = 'realtime_test_';

const createPostgresDatabase = async (): Promise<ExampleDatabase> => {
  // Unique per boot: test files run in parallel workers, each with its own database.
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(`CREATE DATABASE "${name}"`);
  const server = postgresServer();
  return {
    env: {
      DATABASE_CLIENT: 'postgres',
      DATABASE_HOST: server.host,
      DATABASE_PORT: String(server.port),
      DATABASE_NAME: name,
      DATABASE_USERNAME: server.user,
      DATABASE_PASSWORD: server.password,
    },
    description: `postgres ${name}`,
    // FORCE: a connection the app's pool still holds must not keep the database alive.
    drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
};

const createSqliteDatabase = (): ExampleDatabase => {
  const dir = mkdtempSync(join(tmpdir(), 'realtime-example-'));
  const filename = join(dir, 'data.db');
  return {
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: filename },
    description: `sqlite ${filename}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
};

/** A fresh, empty database on the client the tests run on. */
export const createExampleDatabase = async (): Promise<ExampleDatabase> =>
  databaseClient() === 'postgres' ? createPostgresDatabase() : createSqliteDatabase();
