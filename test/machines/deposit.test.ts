import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import {
  depositMachine,
  type CreditInput,
  type DepositNotice,
  type DepositSeen,
} from '../../machines/deposit.ts';

const facts = {
  depositId: 'd1',
  chatId: 7,
  asset: 'BTC' as const,
  address: 'bc1qexample',
  expiresAt: '2026-12-04T00:00:00.000Z',
};

function watch() {
  const credits: CreditInput[] = [];
  const notices: DepositNotice[] = [];
  const clock = new SimulatedClock();
  const machine = depositMachine.provide({
    actors: {
      credit: fromPromise(async ({ input }: { input: CreditInput }) => {
        credits.push(input);
        return { usdAmount: '97.00', rate: '97000' };
      }),
      notify: fromPromise<void, DepositNotice>(async ({ input }) => {
        notices.push(input);
      }),
    },
  });
  const actor = createActor(machine, { input: { facts, watchMs: 60_000 }, clock }).start();
  const send = async (event: Omit<DepositSeen, 'type'>) => {
    actor.send({ type: 'deposit.seen', ...event });
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
  };
  return { actor, send, credits, notices, clock };
}

const tx = (txid: string, confirmed: boolean) => ({
  eventId: `${txid}-${confirmed}`,
  txid,
  amount: '0.001',
  confirmed,
});

describe('deposit machine', () => {
  it('announces a transaction once, then credits it once when confirmed', async () => {
    const deposit = watch();
    await deposit.send(tx('t1', false));
    await deposit.send(tx('t1', false));
    await deposit.send(tx('t1', true));
    await deposit.send(tx('t1', true));
    await deposit.send(tx('t1', false));

    assert.deepEqual(deposit.credits, [{ depositId: 'd1', txid: 't1', amount: '0.001' }]);
    assert.deepEqual(
      deposit.notices.map((n) => n.state),
      ['seen', 'credited'],
    );
    assert.equal(deposit.notices[1]?.data.usdAmount, '97.00');
  });

  it('credits a confirmation that arrives before its sighting, and ignores the late sighting', async () => {
    const deposit = watch();
    await deposit.send(tx('t2', true));
    await deposit.send(tx('t2', false));
    assert.equal(deposit.credits.length, 1);
    assert.deepEqual(
      deposit.notices.map((n) => n.state),
      ['credited'],
    );
  });

  it('credits each transaction to the same address', async () => {
    const deposit = watch();
    await deposit.send(tx('a', true));
    await deposit.send(tx('b', true));
    assert.deepEqual(
      deposit.credits.map((c) => c.txid),
      ['a', 'b'],
    );
  });

  it('stops watching when the window closes', () => {
    const deposit = watch();
    deposit.clock.increment(60_000);
    assert.equal(deposit.actor.getSnapshot().status, 'done');
  });
});
