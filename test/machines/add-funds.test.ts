import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import {
  addFundsMachine,
  screenOfAddFunds,
  type OpenDepositInput,
} from '../../machines/add-funds.ts';
import { stateName } from '../../machines/flow.ts';
import { aParty, someMenuFacts } from '../support/builders.ts';

function start(facts = someMenuFacts({ onboarded: true }), fail = false) {
  const opened: OpenDepositInput[] = [];
  const machine = addFundsMachine.provide({
    actors: {
      openDeposit: fromPromise(async ({ input }: { input: OpenDepositInput }) => {
        opened.push(input);
        if (fail) throw new Error('processor down');
        return {
          depositId: 'd1',
          asset: input.asset,
          address: 'addr',
          minimum: '0.0001',
          expiresAt: '2026-12-04T00:00:00Z',
        };
      }),
    },
  });
  // A simulated clock: a real one would keep the inactivity timer (and the test) alive.
  const actor = createActor(machine, {
    input: { party: aParty(), settings: { inactivityMs: 60_000 }, facts },
    clock: new SimulatedClock(),
  }).start();
  return { actor, opened, state: () => stateName(actor.getSnapshot().value) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('add funds machine', () => {
  it('opens a deposit for the chosen asset, shows its address and drops the facts', async () => {
    const flow = start();
    assert.equal(flow.state(), 'choosingAsset');
    flow.actor.send({ type: 'asset.choose', asset: 'USDT_TRC20' });
    await settle();

    assert.equal(flow.state(), 'showingAddress');
    assert.deepEqual(flow.opened, [{ telegramUserId: 1001, asset: 'USDT_TRC20' }]);
    assert.equal(screenOfAddFunds(flow.actor.getSnapshot()).data.address, 'addr');
    assert.equal(flow.actor.getSnapshot().context.facts, null);
  });

  it('stays on the asset list with a notice when the processor fails', async () => {
    const flow = start(undefined, true);
    flow.actor.send({ type: 'asset.choose', asset: 'BTC' });
    await settle();
    assert.equal(flow.state(), 'choosingAsset');
    assert.deepEqual(flow.actor.getSnapshot().context.notice, { code: 'service.unavailable' });
  });

  it('sends users who have not finished onboarding, and blocked users, elsewhere', () => {
    assert.equal(start(someMenuFacts({ onboarded: false })).state(), 'needsOnboarding');
    assert.equal(start(someMenuFacts({ onboarded: true, blocked: true })).state(), 'suspended');
  });

  it('cancels and drops the facts', () => {
    const flow = start();
    flow.actor.send({ type: 'flow.cancel' });
    assert.equal(flow.state(), 'cancelled');
    assert.equal(flow.actor.getSnapshot().context.facts, null);
  });
});
