import type { AddressInfo } from 'node:net';

import { createEmulatorServer } from './server.ts';
import { EmulatorStore } from './store.ts';
import type { WebhookRetry } from './webhook.ts';

export { EmulatorStore };

export interface EmulatorOptions {
  /** 0 picks a free port; read the chosen one from the result. */
  port: number;
  host?: string;
  botUsername?: string;
  /** How stubbornly updates are pushed to a failing webhook. Default 4 tries from 100 ms. */
  webhookRetry?: WebhookRetry;
}

export interface RunningEmulator {
  /** Base URL: the bot's `apiRoot`, and the `EmulatorClient`'s. */
  url: string;
  port: number;
  /** The live in-memory state, for tests that look inside. */
  store: EmulatorStore;
  /** Answers pending long polls, ends streams and webhook retries, and stops listening. */
  close(): Promise<void>;
}

/**
 * Starts a local Telegram Bot API emulator (any bot token) with a client side for simulated
 * users. State lives in memory only.
 */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const { port, host = '127.0.0.1', botUsername = 'lockbay_local_bot', webhookRetry } = options;
  const store = new EmulatorStore({ botUsername, webhookRetry });
  const server = createEmulatorServer(store);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const actualPort = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;

  const close = async () => {
    store.close();
    // Let the woken long polls write their answers before connections are cut.
    await new Promise((resolve) => setImmediate(resolve));
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    await closed;
  };
  return { url: `http://${hostInUrl}:${actualPort}`, port: actualPort, store, close };
}
