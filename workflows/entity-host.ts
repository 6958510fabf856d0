import {
  allHandlersFinished,
  condition,
  setHandler,
  upsertSearchAttributes,
  type SignalDefinition,
} from '@temporalio/workflow';
import {
  createActor,
  type Actor,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
} from 'xstate';
import { stateName } from '../machines/flow.ts';
import { searchAttributes } from './contract.ts';
import { durableClock } from './durable-clock.ts';
import { isSettled } from './settled.ts';

/** The running machine, for handlers that need it (an Update that feeds it an event). */
export interface RunningEntity<TMachine extends AnyStateMachine> {
  snapshot(): SnapshotFrom<TMachine>;
  /**
   * Queues an event behind the ones before it. Resolves true once the machine took it, false
   * when its turn came and the machine could no longer take it (another decision came first).
   */
  deliver(event: EventFromLogic<TMachine>): Promise<boolean>;
}

interface Queued<TEvent> {
  event: TEvent;
  taken?: (yes: boolean) => void;
}

/**
 * Runs an entity's machine (a deposit, a payout, later an escrow): events arrive as signals
 * (or through `expose`'s handlers) and are fed one at a time, each once the machine has
 * settled, so none is dropped while an activity runs. Delays are durable timers. The run ends
 * when the machine reaches a final state.
 */
export async function hostEntity<TMachine extends AnyStateMachine>(options: {
  kind: string;
  machine: TMachine;
  input: InputFrom<TMachine>;
  signal: SignalDefinition<[EventFromLogic<TMachine>]>;
  /** The user the entity belongs to, for operators' searches. */
  telegramUserId?: number;
  /** Registers handlers that need the running machine, before any event is fed. */
  expose?: (entity: RunningEntity<TMachine>) => void;
}): Promise<string> {
  const queue: Queued<EventFromLogic<TMachine>>[] = [];
  setHandler(options.signal, (event) => void queue.push({ event }));

  const actor = createActor(options.machine as AnyStateMachine, {
    input: options.input,
    clock: durableClock(),
  });
  followState(options.kind, actor, options.telegramUserId);
  actor.start();
  options.expose?.({
    snapshot: () => actor.getSnapshot() as SnapshotFrom<TMachine>,
    deliver: (event) => new Promise((taken) => queue.push({ event, taken })),
  });

  while (actor.getSnapshot().status === 'active') {
    await condition(
      () => actor.getSnapshot().status !== 'active' || (queue.length > 0 && isSettled(actor)),
    );
    const next = queue.shift();
    if (next) feed(next);
  }
  for (const late of queue.splice(0)) late.taken?.(false);
  await condition(allHandlersFinished);

  const { status, error } = actor.getSnapshot();
  if (status === 'error')
    throw error instanceof Error ? error : new Error(String(error as unknown));
  return stateName(actor.getSnapshot().value);

  function feed({ event, taken }: Queued<EventFromLogic<TMachine>>): void {
    const snapshot = actor.getSnapshot();
    if (snapshot.status !== 'active') return taken?.(false);
    // A signal is fed as it comes (the machine ignores what it cannot take); an Update's
    // event must be taken now, or its caller hears that it came too late.
    if (taken && !snapshot.can(event)) return taken(false);
    actor.send(event);
    taken?.(true);
  }
}

/** Keeps the search attributes in step with the machine. */
function followState(
  kind: string,
  actor: Actor<AnyStateMachine>,
  telegramUserId: number | undefined,
): void {
  if (telegramUserId !== undefined) {
    upsertSearchAttributes([{ key: searchAttributes.telegramUserId, value: telegramUserId }]);
  }
  let shown = '';
  actor.subscribe((snapshot) => {
    const state = stateName(snapshot.value);
    if (state === shown) return;
    shown = state;
    upsertSearchAttributes([
      { key: searchAttributes.flowType, value: kind },
      { key: searchAttributes.flowState, value: state },
    ]);
  });
}
