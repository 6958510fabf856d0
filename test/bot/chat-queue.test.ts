import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChatQueue } from '../../bot/chat-queue.ts';

describe('the per-chat queue', () => {
  it('runs one chat’s tasks in arrival order, even when an earlier one is slower or fails', async () => {
    const queue = new ChatQueue();
    const done: string[] = [];
    const runs = [
      queue.run(1, async () => {
        await sleep(30);
        done.push('a');
      }),
      queue.run(1, async () => {
        done.push('b');
        throw new Error('b failed');
      }),
      queue.run(1, async () => {
        done.push('c');
      }),
    ];
    await Promise.allSettled(runs);
    assert.deepEqual(done, ['a', 'b', 'c']);
    await assert.rejects(runs[1]!, /b failed/);
  });

  it('lets other chats run while one is busy', async () => {
    const queue = new ChatQueue();
    const done: number[] = [];
    const slow = queue.run(1, async () => {
      await sleep(50);
      done.push(1);
    });
    await queue.run(2, async () => {
      done.push(2);
    });
    assert.deepEqual(done, [2]);
    await slow;
    await queue.drain();
    assert.deepEqual(done, [2, 1]);
  });
});
