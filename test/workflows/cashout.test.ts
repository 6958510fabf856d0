import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { conversationId, payoutWorkflowId } from '../../workflows/contract.ts';
import { cashoutHelpers } from '../support/cashout-stack.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BTC_ADDRESS = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';

// The cashout conversation against the sandbox rails. The workflow cache is off: every step
// replays the run from its history first.
describe('cashout workflow (cache off, every step replays)', () => {
  let stack: Stack;
  let t: ReturnType<typeof cashoutHelpers>;

  before(async () => {
    stack = await startStack({
      maxCachedWorkflows: 0,
      env: { PAYOUT_POLL_INITIAL_SECONDS: '1', PAYOUT_POLL_MAX_SECONDS: '2' },
    });
    t = cashoutHelpers(stack);
    await t.freshRates();
  });
  after(() => stack?.teardown());

  it('cashes out $40 to a new BTC address with an e-mail code and pays it out', async () => {
    const email = 'smoke@example.com';
    const user = await t.aUser('100', email);
    stack.rails.payouts.script('succeeded');
    const chat = user.telegramId;
    const state = async (event: Parameters<typeof t.say>[1]) =>
      t.screenOf(await t.say(chat, event)).screen;

    assert.equal((await state({ type: 'flow.open', flow: 'cashout' })).state, 'choosingAmount');
    assert.equal((await state({ type: 'amount.custom' })).state, 'typingAmount');
    assert.equal((await state({ type: 'text.entered', text: '40' })).state, 'choosingMethod');
    assert.equal((await state({ type: 'method.choose', method: 'crypto' })).state, 'choosingAsset');
    assert.equal(
      (await state({ type: 'asset.choose', asset: 'BTC' })).state,
      'enteringDestination',
    );
    assert.equal((await state({ type: 'text.entered', text: BTC_ADDRESS })).state, 'choosingSave');
    assert.equal((await state({ type: 'destination.save' })).state, 'typingLabel');
    const quote = await state({ type: 'text.entered', text: 'Cold wallet' });
    assert.equal(quote.state, 'pricing.quoted.reviewing', JSON.stringify(quote));
    assert.equal((await state({ type: 'cashout.confirm' })).state, 'pricing.quoted.awaitingCode');
    const done = await state({ type: 'code.entered', digest: t.codeFor(chat, email) });
    assert.equal(done.state, 'done', JSON.stringify(done));
    const cashoutId = String(done.data.cashoutId);

    await stack.client.workflow.getHandle(conversationId(chat)).result();
    const payout = stack.client.workflow.getHandle(payoutWorkflowId(cashoutId));
    await payout.result();
    const [row] = await stack.db.query(
      'SELECT status, amount_usd::text FROM cashouts WHERE id = $1',
      [cashoutId],
    );
    assert.equal(row.status, 'succeeded');
    assert.equal(row.amount_usd, '40.000000000000000000');
    const left = await t.machineState(chat);
    assert.equal(left?.state, 'done');
    assert.equal((left?.context as { facts: unknown }).facts, null, 'the facts were dropped');
  });
});
