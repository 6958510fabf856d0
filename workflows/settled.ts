import type { Actor, AnyStateMachine } from 'xstate';

export type AnyActor = Actor<AnyStateMachine>;

/**
 * Settled: the machine has ended, or no actor it invoked (an activity call) is still running.
 * Hosts wait for it before they feed the next event or answer an Update.
 */
export function isSettled(actor: AnyActor): boolean {
  const snapshot = actor.getSnapshot();
  if (snapshot.status !== 'active') return true;

  return Object.values(snapshot.children).every(
    (child) => !child || (child as AnyActor).getSnapshot().status !== 'active',
  );
}
