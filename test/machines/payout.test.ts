import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import { stateName } from '../../machines/flow.ts';
import {
  payoutMachine,
  type PayoutEvent,
  type PayoutFacts,
  type PayoutNotice,
  type PayoutProgress,
  type FailInput,
  type ReviewInput,
  type SucceedInput,
} from '../../machines/payout.ts';
import { aPayoutFacts } from '../support/builders.ts';

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** The machine with recording fakes; `sends` and `checks` answer from the given lists. */
function run(facts: PayoutFacts, answers: { sends?: PayoutProgress[]; checks?: PayoutProgress[] }) {
  const calls: string[] = [];
  const notices: PayoutNotice['state'][] = [];
  const clock = new SimulatedClock();
  const record = <TInput>(name: string) =>
    fromPromise<void, TInput>(async () => void calls.push(name));
  const machine = payoutMachine.provide({
    actors: {
      announceReview: record<PayoutFacts>('announceReview'),
      approve: record<ReviewInput>('approve'),
      reject: record<ReviewInput>('reject'),
      succeed: record<SucceedInput>('succeed'),
      fail: record<FailInput>('fail'),
      send: fromPromise(
        async () => (calls.push('send'), answers.sends?.shift() ?? { state: 'pending' }),
      ),
      check: fromPromise(
        async () => (calls.push('check'), answers.checks?.shift() ?? { state: 'pending' }),
      ),
      notify: fromPromise<void, PayoutNotice>(async ({ input }) => void notices.push(input.state)),
    },
  });
  const actor = createActor(machine, {
    input: { facts, settings: { pollInitialMs: 1_000, pollMaxMs: 4_000 } },
    clock,
  }).start();
  const state = () => stateName(actor.getSnapshot().value);
  const send = async (event: PayoutEvent) => {
    actor.send(event);
    for (let i = 0; i < 10; i += 1) await settle();
  };
  const tick = async (ms: number) => {
    clock.increment(ms);
    for (let i = 0; i < 10; i += 1) await settle();
  };
  return { actor, calls, notices, state, send, tick };
}

const paying = aPayoutFacts({ status: 'paying' });
const reported = (status: PayoutProgress) =>
  ({ type: 'payout.reported', eventId: 'e1', status }) as const;

describe('payout machine', () => {
  it('sends at once when no review is needed, and settles on the webhook', async () => {
    const payout = run(paying, {});
    await payout.tick(0);
    assert.equal(payout.state(), 'paying.waiting');

    await payout.send(reported({ state: 'pending' }));
    assert.equal(payout.state(), 'paying.waiting', 'pending changes nothing');
    await payout.send(reported({ state: 'succeeded', transactionRef: 'tx1' }));
    assert.equal(payout.state(), 'succeeded');
    assert.deepEqual(payout.calls, ['send', 'succeed']);
    assert.deepEqual(payout.notices, ['succeeded']);
  });

  it('asks the provider on a doubling timer, and sends again when it knows nothing', async () => {
    const payout = run(paying, {
      checks: [{ state: 'pending' }, { state: 'unknown' }, { state: 'failed', reason: 'no' }],
    });
    await payout.tick(0);
    await payout.tick(999);
    assert.deepEqual(payout.calls, ['send'], 'the first check waits a full interval');
    await payout.tick(1);
    await payout.tick(2_000);
    assert.deepEqual(payout.calls, ['send', 'check', 'check', 'send']);

    await payout.tick(1_000);
    assert.equal(payout.state(), 'failed');
    assert.deepEqual(payout.calls, ['send', 'check', 'check', 'send', 'check', 'fail']);
    assert.deepEqual(payout.notices, ['failed']);
  });

  it('fails and refunds a payout the provider refused at once', async () => {
    const payout = run(paying, { sends: [{ state: 'failed', reason: 'bad address' }] });
    await payout.tick(0);
    assert.equal(payout.state(), 'failed');
    assert.deepEqual(payout.calls, ['send', 'fail']);
    assert.equal(payout.actor.getSnapshot().context.reason, 'bad address');
  });

  it('waits for a reviewer before sending; a rejection refunds', async () => {
    const payout = run(aPayoutFacts(), {});
    await payout.tick(0);
    assert.equal(payout.state(), 'reviewing.waiting');
    assert.deepEqual(payout.notices, ['awaitingReview']);
    assert.ok(!payout.actor.getSnapshot().can(reported({ state: 'failed', reason: 'x' })));

    await payout.send({ type: 'review.reject', reviewer: 42 });
    assert.equal(payout.state(), 'rejected');
    assert.deepEqual(payout.calls, ['announceReview', 'reject']);
    assert.deepEqual(payout.notices, ['awaitingReview', 'rejected']);
  });

  it('pays out after an approval, and takes no second decision', async () => {
    const payout = run(aPayoutFacts(), { sends: [{ state: 'succeeded', transactionRef: 't' }] });
    await payout.tick(0);
    await payout.send({ type: 'review.approve', reviewer: 42 });
    assert.ok(!payout.actor.getSnapshot().can({ type: 'review.reject', reviewer: 42 }));
    assert.equal(payout.state(), 'succeeded');
    assert.deepEqual(payout.calls, ['announceReview', 'approve', 'send', 'succeed']);
    assert.deepEqual(payout.notices, ['awaitingReview', 'approved', 'succeeded']);
  });

  it('ends without a word for a cashout already settled', async () => {
    const payout = run(aPayoutFacts({ status: 'succeeded' }), {});
    assert.equal(payout.state(), 'closed');
    assert.deepEqual([payout.calls, payout.notices], [[], []]);
  });
});
