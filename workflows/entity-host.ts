import {
  condition,
  setHandler,
  upsertSearchAttributes,
  type SignalDefinition,
} from '@temporalio/workflow';
import { createActor, type AnyStateMachine, type EventFromLogic, type InputFrom } from 'xstate';
import { stateName } from '../machines/flow.ts';
import { searchAttributes } from './contract.ts';

/**
 * Runs an entity's machine (a deposit, later a payout or an escrow): events arrive as signals
 * and are fed one at a time, each once the machine has settled, so none is dropped while an
 * activity runs. Delays are durable timers. The run ends when the machine reaches a final state.
 */
export async function hostEntity<TMachine extends AnyStateMachine>(options: {
  kind: string;
  machine: TMachine;
  input: InputFrom<TMachine>;
  signal: SignalDefinition<[EventFromLogic<TMachine>]>;
}): Promise<string> {
  const queue: EventFromLogic<TMachine>[] = [];
  setHandler(options.signal, (event) => void queue.push(event));

  const actor = createActor(options.machine as AnyStateMachine, { input: options.input });
  let shown = '';
  actor.subscribe((snapshot) => {
    const state = stateName(snapshot.value);
    if (state === shown) return;
    shown = state;
    upsertSearchAttributes([
      { key: searchAttributes.flowType, value: options.kind },
      { key: searchAttributes.flowState, value: state },
    ]);
  });
  actor.start();

  const settled = () =>
    Object.values(actor.getSnapshot().children).every(
      (child) => (child as { getSnapshot(): { status: string } }).getSnapshot().status !== 'active',
    );
  while (actor.getSnapshot().status === 'active') {
    await condition(
      () => actor.getSnapshot().status !== 'active' || (queue.length > 0 && settled()),
    );
    const next = queue.shift();
    if (next && actor.getSnapshot().status === 'active') actor.send(next);
  }
  const { status, error } = actor.getSnapshot();
  if (status === 'error')
    throw error instanceof Error ? error : new Error(String(error as unknown));
  return stateName(actor.getSnapshot().value);
}
