import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureRatesSchedule } from '../../activities/rates-schedule.ts';
import { RATES_SCHEDULE_ID } from '../../workflows/contract.ts';
import { startStack, type Stack } from '../support/stack.ts';

describe('the rates schedule', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack?.teardown());

  it('refreshes every pair into the rates table, and can be ensured twice', async () => {
    const options = { taskQueue: stack.taskQueue, everySeconds: 60 };
    await ensureRatesSchedule(stack.client, options);
    await ensureRatesSchedule(stack.client, { ...options, everySeconds: 30 });

    const deadline = Date.now() + 15_000;
    let pairs: Array<{ base: string; quote: string }> = [];
    while (pairs.length < 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      pairs = await stack.db.query(`SELECT base, quote FROM rates ORDER BY base, quote`);
    }
    assert.deepEqual(
      pairs.map((pair) => `${pair.base}/${pair.quote}`),
      ['BTC/USD', 'ETH/USD', 'LTC/USD', 'USD/NGN', 'USDT/USD'],
    );
    const described = await stack.client.schedule.getHandle(RATES_SCHEDULE_ID).describe();
    assert.deepEqual(
      described.spec.intervals?.map((interval) => interval.every),
      [30_000],
    );
  });
});
