import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { coalesce } from '../../bot/webhooks/coalesce.ts';

describe('coalesce', () => {
  it('flushes a lone call at once, and calls made meanwhile together in the next flush', async () => {
    const flushes: number[][] = [];
    const double = coalesce(async (items: number[]) => {
      flushes.push(items);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return items.map((item) => item * 2);
    });

    const results = await Promise.all([1, 2, 3, 4].map((item) => double(item)));

    assert.deepEqual(results, [2, 4, 6, 8]);
    assert.deepEqual(flushes, [[1], [2, 3, 4]]);
  });

  it('keeps batches under maxBatch', async () => {
    const sizes: number[] = [];
    const echo = coalesce(
      async (items: number[]) => {
        sizes.push(items.length);
        return items;
      },
      { maxBatch: 2 },
    );

    await Promise.all([1, 2, 3, 4, 5].map((item) => echo(item)));
    assert.deepEqual(sizes, [1, 2, 2]);
  });

  it('fails every call of a failed flush, and goes on with the next', async () => {
    let fail = true;
    const flaky = coalesce(async (items: string[]) => {
      await Promise.resolve();
      if (fail) throw new Error('database away');
      return items;
    });

    const first = Promise.allSettled([flaky('a'), flaky('b'), flaky('c')]);
    const outcomes = await first;
    fail = false;

    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ['rejected', 'rejected', 'rejected'],
    );
    assert.equal(await flaky('d'), 'd');
  });
});
