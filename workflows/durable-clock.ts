import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import type { ActorOptions, AnyActorLogic } from 'xstate';

export type Clock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

/**
 * The clock every hosted machine runs on: each delay (`after`) is a durable timer in its own
 * cancellation scope, and only this clock, one per run, knows which scope is which.
 *
 * Why not the sandbox's `setTimeout`: in SDK 1.24 it files each timer's scope in one map per V8
 * context, keyed by the run's timer number. Runs share the context (`reuseV8Context`), so two
 * runs' timer 5 overwrite each other and one run's `clearTimeout(5)` cancels the other's timer.
 * Under load that lost inactivity timeouts and failed replays with nondeterminism errors
 * (test/workflows/durable-clock.test.ts shows both). The commands are the same as the sandbox's
 * own: a cancellable scope around `sleep`, so histories recorded before replay unchanged.
 */
export function durableClock(): Clock {
  const scopes = new Map<number, CancellationScope>();
  let last = 0;

  return {
    setTimeout(fire: () => void, ms: number) {
      last += 1;
      const id = last;
      const scope = new CancellationScope({ cancellable: true });
      scopes.set(id, scope);
      scope
        .run(() => sleep(Math.max(1, ms)))
        .then(
          () => {
            scopes.delete(id);
            fire();
          },
          (error: unknown) => {
            scopes.delete(id);
            if (!isCancellation(error)) throw error;
          },
        );
      return id;
    },

    clearTimeout(id: number) {
      const scope = scopes.get(id);
      scopes.delete(id);
      scope?.cancel();
    },
  };
}
