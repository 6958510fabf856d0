/**
 * `npm run sandbox -- <command>`: plays the payment providers by hand against a running
 * `npm start`, whose sandbox rails live in that process. It talks to the sandbox page's server
 * (loopback only, SANDBOX_PAGE_PORT), the same routes the page's buttons use.
 *
 *   npm run sandbox -- list                          what waits for a provider
 *   npm run sandbox -- pay <reference> <amount>      a deposit arrives (any amount)
 *   npm run sandbox -- <action> <id> [amount]        any action `list` shows: confirm,
 *                                                    underpay, expire, succeed, fail, …
 *
 * `<reference>` is the deposit's reference or its address, or a naira collection's reference;
 * `<id>` for a payout is its idempotency key.
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '../activities/config.ts';
import { SANDBOX_PROVIDER } from '../activities/providers/sandbox/index.ts';
import type { SandboxSnapshot } from '../bot/sandbox/protocol.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const base = `http://127.0.0.1:${loadConfig().sandboxPage.port}`;
const [command, id, amount] = process.argv.slice(2);

try {
  if (command === 'list' || command === undefined) await list();
  else if (id) await act(command, id, amount);
  else usage();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

async function list(): Promise<void> {
  const snapshot = (await call('GET', '/api/sandbox')) as SandboxSnapshot;
  const operations = snapshot.providers.flatMap((provider) => provider.pending);
  if (operations.length === 0) console.log('Nothing waits for a provider.');
  for (const each of operations) {
    const actions = each.actions.map((action) => action.name).join(', ');
    console.log(`${each.kind} ${each.id}: ${each.amount} ${each.currency} → ${each.reference}`);
    console.log(`  actions: ${actions}`);
  }
}

async function act(action: string, operation: string, amount: string | undefined) {
  const path = [SANDBOX_PROVIDER, 'operations', operation, action].map(encodeURIComponent);
  const answer = (await call('POST', `/api/sandbox/providers/${path.join('/')}`, {
    ...(amount ? { amount } : {}),
  })) as { note?: string };
  console.log(answer.note ?? 'done');
}

async function call(method: 'GET' | 'POST', path: string, body?: object): Promise<unknown> {
  const response = await fetch(new URL(path, base), {
    method,
    ...(body
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
      : {}),
  }).catch(() => {
    throw new Error(`No sandbox page at ${base}: is npm start running, without BOT_TOKEN?`);
  });
  const answer = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new Error(answer.error ?? `${method} ${path}: ${response.status}`);
  return answer;
}

function usage(): never {
  console.error(
    'usage: npm run sandbox -- list | pay <reference> <amount> | <action> <id> [amount]',
  );
  process.exit(2);
}
