import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';

import { DevMailer } from '../../activities/mail/dev-mailer.ts';
import { type RunningEmulator, startEmulator } from '../../bot/emulator/index.ts';
import { createLogger } from '../../bot/logger.ts';
import { handleApi } from '../../bot/sandbox/api.ts';
import { SandboxFeed } from '../../bot/sandbox/feed.ts';
import { OutboxFolder } from '../../bot/sandbox/outbox.ts';
import type { SandboxSnapshot } from '../../bot/sandbox/protocol.ts';
import type { PendingOperation, SandboxProvider } from '../../bot/sandbox/providers.ts';

/** A provider sandbox holding one deposit until a tester settles it. */
class FakeProvider implements SandboxProvider {
  readonly name = 'fakepay';
  readonly label = 'FakePay sandbox';
  readonly acted: string[] = [];
  private operations: PendingOperation[] = [
    {
      id: 'dep-1',
      kind: 'deposit',
      amount: '25.00',
      currency: 'USD',
      reference: 'user 1001',
      createdAt: '2026-01-01T00:00:00.000Z',
      actions: [{ name: 'confirm', label: 'Confirm' }],
    },
  ];
  private listeners = new Set<() => void>();

  async pending() {
    return this.operations;
  }

  async act(operationId: string, action: string) {
    this.acted.push(`${operationId}:${action}`);
    this.operations = this.operations.filter((operation) => operation.id !== operationId);
    for (const listener of this.listeners) listener();
  }

  subscribe(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

describe("the sandbox page's server", () => {
  let emulator: RunningEmulator;
  let outboxDir: string;
  let provider: FakeProvider;
  let feed: SandboxFeed;
  let server: Server;
  let base: string;

  before(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  after(() => emulator.close());

  beforeEach(async () => {
    outboxDir = await mkdtemp(join(tmpdir(), 'lockbay-outbox-'));
    provider = new FakeProvider();
    feed = new SandboxFeed(new OutboxFolder(outboxDir), [provider], createLogger('silent'));
    feed.start();
    server = createServer((req, res) => {
      const options = { emulatorUrl: emulator.url, feed, providers: [provider] };
      if (!handleApi(req, res, options)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    feed.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(outboxDir, { recursive: true, force: true });
  });

  const getJson = async <T>(path: string) => (await (await fetch(`${base}${path}`)).json()) as T;
  const postJson = (path: string, body: object) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('lists the outbox newest first and skips files that are not e-mails', async () => {
    const mailer = new DevMailer(outboxDir);
    await mailer.send({ to: 'ada@example.com', subject: 'First', text: '111111' });
    await mailer.send({ to: 'bo@example.com', subject: 'Second', text: '222222' });
    await writeFile(join(outboxDir, 'zzz-half-written.json'), '{"to": "x@exa');

    const { mails } = await getJson<SandboxSnapshot>('/api/sandbox');
    assert.deepEqual(
      mails.map((mail) => mail.subject),
      ['Second', 'First'],
    );
  });

  it('streams a fresh snapshot when the mailer writes an e-mail', { timeout: 5_000 }, async () => {
    const response = await fetch(`${base}/api/sandbox/stream`);
    const events = readEvents(response);
    assert.deepEqual((await events.next()).value?.mails, []);

    await new DevMailer(outboxDir).send({ to: 'ada@example.com', subject: 'Code', text: 'x' });
    const next = (await events.next()).value;
    assert.equal(next?.mails[0]?.subject, 'Code');
    await events.return(undefined);
  });

  it("lists a provider's pending operations and carries out their actions", async () => {
    const before = await getJson<SandboxSnapshot>('/api/sandbox');
    assert.deepEqual(
      before.providers.map(({ name, pending }) => [name, pending.map((each) => each.id)]),
      [['fakepay', ['dep-1']]],
    );

    const answer = await postJson('/api/sandbox/providers/fakepay/operations/dep-1/confirm', {});
    assert.equal(answer.status, 200);
    assert.deepEqual(provider.acted, ['dep-1:confirm']);

    const unknown = await postJson('/api/sandbox/providers/nopay/operations/dep-1/confirm', {});
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { error: string }).error, /known: fakepay/);
  });

  it("passes the emulator's client side through, and refuses form posts", async () => {
    const created = await postJson('/api/emulator/users', { id: 1001, first_name: 'Ada' });
    assert.equal(created.status, 200);
    assert.deepEqual(
      (await getJson<Array<{ id: number }>>('/api/emulator/users')).map((user) => user.id),
      [1001],
    );
    assert.deepEqual(await getJson('/api/bot'), {
      first_name: 'LockBay',
      username: 'lockbay_local_bot',
    });

    const form = await fetch(`${base}/api/emulator/users/1001/messages`, {
      method: 'POST',
      body: new URLSearchParams({ text: '/start' }),
    });
    assert.equal(form.status, 415);
  });

  it('says which emulator did not answer', async () => {
    const options = { emulatorUrl: 'http://127.0.0.1:9', feed, providers: [] };
    const lonely = createServer((req, res) => void handleApi(req, res, options));
    await new Promise<void>((resolve) => lonely.listen(0, '127.0.0.1', resolve));
    const port = (lonely.address() as AddressInfo).port;

    const answer = await fetch(`http://127.0.0.1:${port}/api/emulator/users`);
    lonely.close();
    assert.equal(answer.status, 502);
    assert.match(
      ((await answer.json()) as { error: string }).error,
      /127\.0\.0\.1:9 did not answer/,
    );
  });
});

/** The `data:` of each server-sent event, parsed as a snapshot. */
async function* readEvents(response: Response): AsyncGenerator<SandboxSnapshot> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = block.split('\n').find((line) => line.startsWith('data: '));
      if (data) yield JSON.parse(data.slice('data: '.length)) as SandboxSnapshot;
    }
  }
}
