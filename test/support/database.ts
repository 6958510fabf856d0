import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

const defaultAdminUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
const unreachable = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT']);

/**
 * A new, empty database `lockbay_test_<random>` on the server at `TEST_DATABASE_ADMIN_URL`
 * (default: the local PostgreSQL on 5432, trust auth). `drop()` ends its open connections and
 * drops it. When the default server is not running, an embedded PostgreSQL under a temp dir
 * stands in (started once per process, stopped with the last drop); an explicitly configured
 * URL that does not answer is an error.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = await acquireServer();
  const name = `lockbay_test_${randomBytes(6).toString('hex')}`;
  await withClient(server.adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));

  const url = new URL(server.adminUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    await withClient(server.adminUrl, (client) =>
      client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    );
    await server.release();
  };
  return { url: url.toString(), drop };
}

interface AdminServer {
  adminUrl: string;
  release(): Promise<void>;
}

async function acquireServer(): Promise<AdminServer> {
  const configured = process.env.TEST_DATABASE_ADMIN_URL;
  const adminUrl = configured ?? defaultAdminUrl;
  const reachable = await withClient(adminUrl, () => true).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (configured === undefined && code !== undefined && unreachable.has(code)) return false;
    throw error;
  });
  return reachable ? { adminUrl, release: async () => {} } : acquireEmbedded();
}

let embedded: Promise<{ adminUrl: string; stop(): Promise<void> }> | undefined;
let embeddedUsers = 0;

async function acquireEmbedded(): Promise<AdminServer> {
  embeddedUsers += 1;
  embedded ??= startEmbedded();
  const { adminUrl } = await embedded;
  return { adminUrl, release: releaseEmbedded };
}

async function releaseEmbedded(): Promise<void> {
  embeddedUsers -= 1;
  if (embeddedUsers > 0 || embedded === undefined) return;
  const server = embedded;
  embedded = undefined;
  await (await server).stop();
}

async function startEmbedded() {
  // Loaded only here: the embedded server is a fallback for machines without PostgreSQL.
  const { startEmbeddedPostgres } = await import('../../scripts/services/postgres.ts');
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  logger.warn({ defaultAdminUrl }, 'no PostgreSQL at the default URL, using an embedded one');

  const dataDir = await mkdtemp(path.join(tmpdir(), 'lockbay-test-pg-'));
  await chmod(dataDir, 0o755); // as root, PostgreSQL runs as `postgres` and must reach it
  const server = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger });

  const adminUrl = new URL(server.url);
  adminUrl.pathname = '/postgres';
  const stop = async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { adminUrl: adminUrl.toString(), stop };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T> | T) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
