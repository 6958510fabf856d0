import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import { createSandboxRails, type SandboxRails } from '../../activities/providers/sandbox/index.ts';
import { createLogger } from '../../bot/logger.ts';
import { readRawBody } from '../../bot/read-body.ts';
import { handleApi } from '../../bot/sandbox/api.ts';
import { SandboxFeed } from '../../bot/sandbox/feed.ts';
import { OutboxFolder } from '../../bot/sandbox/outbox.ts';
import { railsSandboxProvider } from '../../bot/sandbox/rails-provider.ts';
import type { SandboxProvider } from '../../bot/sandbox/providers.ts';

const run = promisify(execFile);

describe('the sandbox rails on the sandbox page', () => {
  const received: Array<{
    headers: IncomingHttpHeaders;
    body: { event: Record<string, unknown> };
  }> = [];
  let receiver: Server;
  let page: Server;
  let pagePort: number;
  let outboxDir: string;
  let rails: SandboxRails;
  let provider: SandboxProvider;
  let webhookUrl: string;

  before(async () => {
    receiver = await listen(
      createServer(async (request, response) => {
        const raw = await readRawBody(request);
        received.push({ headers: request.headers, body: JSON.parse(raw.toString('utf8')) });
        response.writeHead(200).end();
      }),
    );
    webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/sandbox`;
    rails = createSandboxRails({ secret: 's', webhookUrl, retryDelaysMs: [] });
    provider = railsSandboxProvider(rails);

    outboxDir = await mkdtemp(join(tmpdir(), 'lockbay-rails-page-'));
    const feed = new SandboxFeed(new OutboxFolder(outboxDir), [provider], createLogger('silent'));
    const options = { emulatorUrl: 'http://127.0.0.1:9', feed, providers: [provider] };
    page = await listen(createServer((req, res) => void handleApi(req, res, options)));
    pagePort = (page.address() as AddressInfo).port;
  });
  after(async () => {
    await rails?.close();
    for (const server of [receiver, page]) {
      server?.closeAllConnections();
      await new Promise((done) => server?.close(done));
    }
    await rm(outboxDir, { recursive: true, force: true });
  });

  it('lists a waiting deposit address, a pending payout and a collection with their buttons', async () => {
    const { address } = await rails.crypto.createDepositAddress({
      asset: 'BTC',
      reference: 'dep-page',
      callbackUrl: webhookUrl,
    });
    await rails.payouts.withdraw({
      asset: 'LTC',
      address: 'ltc1qdest',
      amount: '0.5',
      idempotencyKey: 'payout-page',
    });
    await rails.bank.collect({ reference: 'col-page', amount: '20000', payerName: 'Ada' });

    const pending = await provider.pending();
    const byId = new Map(pending.map((each) => [each.id, each]));
    assert.deepEqual(
      [...byId.values()].map((each) => [each.id, each.kind, each.amount, each.currency]).sort(),
      [
        ['col-page', 'deposit', '20000', 'NGN'],
        ['dep-page', 'deposit', '0.0004', 'BTC'],
        ['payout-page', 'payout', '0.5', 'LTC'],
      ],
    );
    assert.equal(byId.get('dep-page')?.reference, address);
    assert.equal(byId.get('payout-page')?.reference, 'ltc1qdest');
    assert.deepEqual(
      byId.get('payout-page')?.actions.map((action) => action.name),
      ['succeed', 'fail', 'succeed-late'],
    );
  });

  it('pays a deposit by hand with `npm run sandbox -- pay <reference> <amount>`', async () => {
    received.length = 0;
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/sandbox.ts', 'pay', 'dep-page', '0.0025'],
      { env: { ...process.env, SANDBOX_PAGE_PORT: String(pagePort) } },
    );

    assert.match(stdout, /2 webhooks to .*\/webhooks\/sandbox, answered 200, 200/);
    assert.deepEqual(
      received.map(({ body }) => [body.event.reference, body.event.amount, body.event.confirmed]),
      [
        ['dep-page', '0.0025', false],
        ['dep-page', '0.0025', true],
      ],
    );
    assert.ok(!(await provider.pending()).some((each) => each.id === 'dep-page'));
  });

  it('settles a payout from its button, once', async () => {
    received.length = 0;
    const post = (action: string) =>
      fetch(
        `http://127.0.0.1:${pagePort}/api/sandbox/providers/sandbox/operations/payout-page/${action}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        },
      );

    assert.equal((await post('succeed')).status, 200);
    const again = await post('fail');
    assert.equal(again.status, 404);
    assert.match(
      ((await again.json()) as { error: string }).error,
      /payout payout-page is already succeeded/,
    );
    assert.deepEqual(
      received.map(({ body }) => body.event.type),
      ['payout.succeeded'],
    );
  });

  it('explains an action the operation does not have', async () => {
    await assert.rejects(provider.act('col-page', 'confirm'), /no sandbox transaction col-page/);
    await assert.rejects(provider.act('col-page', 'pay-unconfirmed'), /try one of pay, underpay/);
  });
});

function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
