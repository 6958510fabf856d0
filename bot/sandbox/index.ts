import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

import type { Logger } from 'pino';
import { createServer as createViteServer } from 'vite';

import { handleApi } from './api.ts';
import { SandboxFeed } from './feed.ts';
import { OutboxFolder } from './outbox.ts';
import type { SandboxProvider } from './providers.ts';
import { viteLogger } from './vite-logger.ts';

export type { SandboxProvider } from './providers.ts';

const PAGE_ROOT = fileURLToPath(new URL('./page/', import.meta.url));

export interface SandboxPageOptions {
  /** 0 picks a free port; read the chosen one from the result. */
  port: number;
  host?: string;
  /** The Bot API emulator the bot polls (its `/client/` side plays the users). */
  emulatorUrl: string;
  /** The development mailer's outbox folder; created if missing. */
  outboxDir: string;
  /**
   * Payment-provider sandboxes whose pending deposits and payouts the panel lists; npm start
   * passes the sandbox rails (`railsSandboxProvider`) when a rail is a sandbox.
   */
  providers?: SandboxProvider[];
  /** Where Vite keeps its pre-bundled dependencies. Default: node_modules/.vite. */
  cacheDir?: string;
  logger: Logger;
}

export interface RunningSandboxPage {
  url: string;
  port: number;
  /** Ends the page's streams, stops Vite and stops listening. */
  close(): Promise<void>;
}

/**
 * Serves the sandbox page: a Telegram-like chat for simulated users of the Bot API emulator,
 * and a panel with the development mailer's e-mails and the providers' pending operations.
 * The page is compiled on request by Vite in middleware mode (nothing is built beforehand and
 * nothing is downloaded), and it reloads itself when its sources change.
 */
export async function startSandboxPage(options: SandboxPageOptions): Promise<RunningSandboxPage> {
  const { port, host = '127.0.0.1', emulatorUrl, providers = [], logger } = options;
  const outbox = new OutboxFolder(options.outboxDir);
  await outbox.prepare();
  const feed = new SandboxFeed(outbox, providers, logger);
  const server = createServer();

  const vite = await createViteServer({
    configFile: false,
    root: PAGE_ROOT,
    appType: 'spa',
    cacheDir: options.cacheDir,
    customLogger: viteLogger(logger),
    server: { middlewareMode: true, ws: { server } },
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    // Pre-bundled at start, so a first visit never finds a new dependency and reloads.
    optimizeDeps: {
      noDiscovery: true,
      include: ['preact', 'preact/hooks', 'preact/jsx-runtime', 'preact/jsx-dev-runtime'],
    },
  });

  server.on('request', (req, res) => {
    if (handleApi(req, res, { emulatorUrl, feed, providers })) return;
    vite.middlewares(req, res);
  });
  await listen(server, port, host);
  feed.start();

  const actualPort = (server.address() as AddressInfo).port;
  const close = async () => {
    feed.close();
    await vite.close();
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  };
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    port: actualPort,
    close,
  };
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
