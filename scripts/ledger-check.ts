/**
 * `npm run ledger:check`: proves the ledger in the database LockBay uses (DATABASE_URL, else the
 * embedded PostgreSQL under DATA_DIR that `npm start` runs, reused when running and stopped
 * again only if started here). Prints a JSON report on its last line:
 * `{"ok":true|false,"transfers":N,"violations":[...]}`; exits 1 on any violation.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { loadConfig } from '../activities/config.ts';
import { createDataSource } from '../activities/db/data-source.ts';
import { checkLedger, type LedgerReport } from '../activities/ledger/invariants.ts';
import { createLogger } from '../bot/logger.ts';
import { startEmbeddedPostgres } from './services/postgres.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig();
const logger = createLogger('warn', 'ledger-check');

const port = config.database.embeddedPort;
const postgres = config.database.url
  ? { url: config.database.url, stop: async () => {} }
  : await embedded();

const db = await createDataSource({ url: postgres.url }).initialize();
let report: LedgerReport;
try {
  const [{ ready }] = await db.query(`SELECT to_regclass('ledger_entries') IS NOT NULL AS ready`);
  report = ready
    ? await checkLedger(db)
    : {
        ok: false,
        transfers: 0,
        violations: [{ check: 'noLedgerTables', hint: 'run the migrations (npm start)' }],
      };
} finally {
  await db.destroy();
  await postgres.stop();
}

console.log(JSON.stringify(report));
process.exitCode = report.ok ? 0 : 1;

/** The embedded server; `stop` only stops what this run started, never `npm start`'s server. */
async function embedded() {
  const wasRunning = await listening(port);
  const server = await startEmbeddedPostgres({ dataDir: resolve(config.dataDir), port, logger });
  return { url: server.url, stop: wasRunning ? async () => {} : server.stop };
}

function listening(at: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port: at, timeout: 1_000 });
    const finish = (open: boolean) => {
      socket.destroy();
      done(open);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('timeout', () => finish(false));
  });
}
