/**
 * Test-only workflows for test/workflows/durable-clock.test.ts: one timer, made either with the
 * sandbox's global `setTimeout` or with the clock hosted machines run on.
 */
import { condition, defineSignal, setHandler } from '@temporalio/workflow';
import { durableClock, type Clock } from '../../../workflows/durable-clock.ts';

export const clearTimer = defineSignal('clearTimer');

/** Sets one timer of `ms` and answers 'fired' when it fires or 'cleared' once `clearTimer` came. */
export async function oneTimer(clockName: 'sandbox' | 'durable', ms: number): Promise<string> {
  const clock: Clock =
    clockName === 'durable'
      ? durableClock()
      : {
          setTimeout: (fire: () => void, delay: number) => setTimeout(fire, delay),
          clearTimeout: (id: number) => clearTimeout(id),
        };
  let fired = false;
  let cleared = false;
  const id: unknown = clock.setTimeout(() => (fired = true), ms);
  setHandler(clearTimer, () => {
    clock.clearTimeout(id);
    cleared = true;
  });
  await condition(() => fired || cleared);
  return fired ? 'fired' : 'cleared';
}
