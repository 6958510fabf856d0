import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { codeDigest } from '../../activities/otp.ts';
import type { Delivery } from '../../bot/conversations.ts';
import {
  conversationId,
  machineStateQuery,
  searchAttributes,
  type StepRequest,
  type StepResult,
  type UserEvent,
} from '../../workflows/contract.ts';
import { aParty } from '../support/builders.ts';
import { startStack, type Stack } from '../support/stack.ts';

// The workflow cache is off: every Update replays the run from its history first, so each
// step below also proves the workflow code is deterministic.
describe('onboarding workflow (cache off, every step replays)', () => {
  let stack: Stack;
  let nextUpdateId = 1;

  before(async () => {
    stack = await startStack({ maxCachedWorkflows: 0, env: { FLOW_INACTIVITY_SECONDS: '2' } });
  });
  after(() => stack?.teardown());

  const partyOf = (id: number) =>
    aParty({ chatId: id, telegramUserId: id, firstName: `User${id}` });

  async function say(
    chat: number,
    event: UserEvent,
    extra: Partial<StepRequest> = {},
  ): Promise<Delivery> {
    const request = { updateId: nextUpdateId++, from: chat, event, ...extra };
    return stack.conversations.deliver(partyOf(chat), request);
  }

  function screenOf(delivery: Delivery): StepResult {
    assert.equal(delivery.kind, 'screen', JSON.stringify(delivery));
    return (delivery as Extract<Delivery, { kind: 'screen' }>).result;
  }

  const handle = (chat: number) => stack.client.workflow.getHandle(conversationId(chat));
  const codeOf = (email: string) =>
    /(\d{6})/.exec(stack.mailer.latestTo(email)?.subject ?? '')?.[1] ?? '';
  const digest = (chat: number, code: string) => codeDigest(stack.config.otp.secret, chat, code);

  it('takes a new user through e-mail, code and terms to the main menu', async () => {
    const chat = 2001;
    assert.equal(
      screenOf(await say(chat, { type: 'flow.open', flow: 'onboarding' })).screen.state,
      'welcome',
    );
    assert.equal(
      screenOf(await say(chat, { type: 'onboarding.begin' })).screen.state,
      'askingEmail',
    );

    const sent = screenOf(await say(chat, { type: 'text.entered', text: 'user2001@example.com' }));
    assert.equal(sent.screen.state, 'awaitingCode');

    const code = codeOf('user2001@example.com');
    assert.match(code, /^\d{6}$/);
    assert.equal(
      screenOf(await say(chat, { type: 'code.entered', digest: digest(chat, code) })).screen.state,
      'terms',
    );

    const done = screenOf(await say(chat, { type: 'terms.accept' }));
    assert.deepEqual([done.screen.flow, done.screen.state, done.ended], ['menu', 'main', true]);
    const outcome = await handle(chat).result();
    assert.equal(outcome.state, 'done');

    const [user] = await stack.db.query(
      'SELECT email, onboarded_at FROM users WHERE telegram_id = $1',
      [chat],
    );
    assert.equal(user.email, 'user2001@example.com');
    assert.ok(user.onboarded_at);
  });

  it('is found by its search attributes and names its flow in the summary', async () => {
    const chat = 2002;
    await say(chat, { type: 'flow.open', flow: 'onboarding' });
    await say(chat, { type: 'onboarding.begin' });

    const description = await handle(chat).describe();
    assert.equal(description.typedSearchAttributes.get(searchAttributes.flowType), 'onboarding');
    assert.equal(description.typedSearchAttributes.get(searchAttributes.flowState), 'askingEmail');
    assert.equal(description.typedSearchAttributes.get(searchAttributes.telegramUserId), chat);
    assert.match((await description.staticSummary()) ?? '', /onboarding/);

    const query = `FlowType = "onboarding" AND FlowState = "askingEmail" AND TelegramUserId = ${chat}`;
    const found = await eventually(async () => {
      const ids: string[] = [];
      for await (const run of stack.client.workflow.list({ query })) ids.push(run.workflowId);
      return ids.length > 0 ? ids : undefined;
    });
    assert.deepEqual(found, [conversationId(chat)]);
    await say(chat, { type: 'flow.cancel' });
  });

  it('changes state once when the same Telegram update arrives twice', async () => {
    const chat = 2003;
    await say(chat, { type: 'flow.open', flow: 'onboarding' });
    const begin = {
      updateId: nextUpdateId++,
      from: chat,
      event: { type: 'onboarding.begin' },
    } as const;
    const first = screenOf(await stack.conversations.deliver(partyOf(chat), begin));
    const second = screenOf(await stack.conversations.deliver(partyOf(chat), begin));

    assert.deepEqual(second, first);
    const history = await handle(chat).fetchHistory();
    const accepted = history.events?.filter(
      (event) => event.workflowExecutionUpdateAcceptedEventAttributes,
    );
    assert.equal(accepted?.length, 2, 'the start and one begin');
    await say(chat, { type: 'flow.cancel' });
  });

  it('drops the prefetched context when the user cancels midway', async () => {
    const chat = 2004;
    await say(chat, { type: 'flow.open', flow: 'onboarding' });
    await say(chat, { type: 'onboarding.begin' });
    const before = await handle(chat).query(machineStateQuery);
    assert.notEqual((before?.context as { facts: unknown }).facts, null);

    const cancelled = screenOf(await say(chat, { type: 'flow.cancel' }));
    assert.deepEqual([cancelled.screen.state, cancelled.ended], ['cancelled', true]);
    const afterwards = await handle(chat).query(machineStateQuery);
    assert.equal(afterwards?.state, 'cancelled');
    assert.equal((afterwards?.context as { facts: unknown }).facts, null);
  });

  it('times out after the configured inactivity and drops the context', async () => {
    const chat = 2005;
    await say(chat, { type: 'flow.open', flow: 'onboarding' });
    await say(chat, { type: 'onboarding.begin' });

    const outcome = await handle(chat).result();
    assert.equal(outcome.state, 'timedOut');
    const state = await handle(chat).query(machineStateQuery);
    assert.equal((state?.context as { facts: unknown }).facts, null);
  });

  it('cancels the running flow through its own cancel transition when another flow opens', async () => {
    const chat = 2006;
    await say(chat, { type: 'flow.open', flow: 'onboarding' });
    const firstRun = (await handle(chat).describe()).runId;

    const menu = screenOf(await say(chat, { type: 'flow.open', flow: 'menu' }));
    assert.deepEqual([menu.screen.flow, menu.screen.state], ['menu', 'needsOnboarding']);

    const previous = stack.client.workflow.getHandle(conversationId(chat), firstRun);
    assert.equal((await previous.result()).state, 'cancelled');
  });

  it('refuses, before anything enters history, a stranger, a stale button and an unexpected event', async () => {
    const chat = 2007;
    const welcome = screenOf(await say(chat, { type: 'flow.open', flow: 'onboarding' }));
    const length = async () => (await handle(chat).fetchHistory()).events?.length;
    const historyBefore = await length();

    const stranger = await say(chat, { type: 'onboarding.begin' }, { from: 999 });
    assert.deepEqual(stranger.kind === 'refused' && stranger.refusal, 'notChatOwner');

    const stale = await say(chat, { type: 'onboarding.begin' }, { stamp: `${welcome.stamp}x` });
    assert.deepEqual(stale.kind === 'refused' && stale.refusal, 'staleButton');

    const unexpected = await say(chat, { type: 'terms.accept' });
    assert.equal(unexpected.kind === 'refused' && unexpected.refusal, 'unexpectedEvent');
    assert.match(
      unexpected.kind === 'refused' ? unexpected.detail : '',
      /welcome.*onboarding\.begin/,
    );

    assert.equal(await length(), historyBefore);
    const moved = screenOf(await say(chat, { type: 'onboarding.begin' }, { stamp: welcome.stamp }));
    assert.equal(moved.screen.state, 'askingEmail');
    await say(chat, { type: 'flow.cancel' });
  });

  it('issues SQL only where a step must touch the database: one statement or transaction', async () => {
    const chat = 2009;
    const statements = async (event: UserEvent) => {
      const before = stack.queries.total;
      const delivery = await say(chat, event);
      screenOf(delivery);
      return stack.queries.total - before;
    };

    assert.equal(await statements({ type: 'flow.open', flow: 'onboarding' }), 1, 'prefetch');
    assert.equal(await statements({ type: 'onboarding.begin' }), 0);
    assert.equal(await statements({ type: 'text.entered', text: 'not an address' }), 0);
    assert.equal(await statements({ type: 'step.back' }), 0);
    assert.equal(await statements({ type: 'onboarding.begin' }), 0);
    assert.equal(
      await statements({ type: 'text.entered', text: 'user2009@example.com' }),
      1,
      'is it free + store the code',
    );
    assert.equal(await statements({ type: 'text.entered', text: 'still not a code' }), 0);
    const code = codeOf('user2009@example.com');
    assert.equal(
      await statements({ type: 'code.entered', digest: digest(chat, code) }),
      1,
      'verify',
    );
    // One transaction: START, the user, the ledger accounts, the menu, COMMIT.
    assert.equal(await statements({ type: 'terms.accept' }), 5, 'finish');
  });

  it('tells a chat with nothing running that there is no conversation', async () => {
    const delivery = await say(2008, { type: 'text.entered', text: 'hello' });
    assert.deepEqual(delivery.kind === 'refused' && delivery.refusal, 'noConversation');
  });
});

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
