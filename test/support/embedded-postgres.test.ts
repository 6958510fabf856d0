import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { pino } from 'pino';
import { startEmbeddedPostgres } from '../../scripts/services/postgres.ts';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

async function rows(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('the embedded PostgreSQL of npm start', () => {
  let dataDir: string;
  after(() => (dataDir ? rm(dataDir, { recursive: true, force: true }) : undefined));

  it('keeps its data across a crash of the process that started it', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lockbay-pg-'));
    await chmod(dataDir, 0o755); // as root, PostgreSQL runs as the postgres user
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'fixtures', 'hold-postgres.ts'),
        dataDir,
        String(port),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      child.once('exit', (code) => reject(new Error(`fixture exited with ${code}`)));
    });
    await rows(url, 'CREATE TABLE survived (n int); INSERT INTO survived VALUES (42)');

    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const again = await startEmbeddedPostgres({ dataDir, port, logger: pino({ level: 'silent' }) });
    try {
      assert.deepEqual(await rows(again.url, 'SELECT n FROM survived'), [{ n: 42 }]);
    } finally {
      await again.stop();
    }
  });
});
