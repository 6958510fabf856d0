import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  createActor,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type InputFrom,
  type SnapshotFrom,
} from 'xstate';
import { acceptedEvents, stateName, type FlowName, type Screen } from '../machines/flow.ts';
import { durableClock } from './durable-clock.ts';
import { isSettled, type AnyActor } from './settled.ts';
import {
  contextChangedSignal,
  machineStateQuery,
  rejections,
  screenQuery,
  searchAttributes,
  stepUpdate,
  type FlowOutcome,
  type FlowStart,
  type StepRequest,
  type StepResult,
} from './contract.ts';

/** How one flow is hosted: its machine (actors already provided) and how to feed it. */
export interface FlowHosting<TMachine extends AnyStateMachine, TFacts> {
  flow: FlowName;
  machine: TMachine;
  /** The flow's one-statement context load; the first activity of every run. */
  prefetch(): Promise<TFacts>;
  input(facts: TFacts): InputFrom<TMachine>;
  screen(snapshot: SnapshotFrom<TMachine>): Screen;
}

/** Sent to the machine after a `contextChanged` signal, when the machine can take it. */
export interface FactsRefreshed<TFacts> {
  type: 'facts.refreshed';
  facts: TFacts;
}

/**
 * Runs one conversation: prefetch, then a live XState actor fed by `step` Updates. Delays in
 * the machine are durable timers because the workflow sandbox makes `setTimeout` one. The run
 * ends when the machine reaches a final state; the machine drops its facts on the way there.
 */
export async function hostFlow<TMachine extends AnyStateMachine, TFacts>(
  start: FlowStart,
  hosting: FlowHosting<TMachine, TFacts>,
): Promise<FlowOutcome> {
  // Typed loosely inside: the machine's own types end at the hosting's boundary. Assigned once
  // the prefetch returns; the handlers registered before then must see `undefined`, not a TDZ.
  // eslint-disable-next-line prefer-const
  let actor: AnyActor | undefined;
  const screenOf = hosting.screen as (snapshot: AnyMachineSnapshot) => Screen;
  let stepping = false;
  let seq = 0;

  const stamp = () => `${workflowInfo().runId.slice(0, 4)}${seq.toString(36)}`;
  const result = (extra: Partial<StepResult> = {}): StepResult => {
    const snapshot = actor!.getSnapshot();
    const ended = snapshot.status === 'done';
    return { screen: screenOf(snapshot), stamp: stamp(), ended, superseded: false, ...extra };
  };

  setHandler(
    stepUpdate,
    async (request) => {
      await condition(() => actor !== undefined && !stepping && isSettled(actor));
      stepping = true;
      try {
        return await step(actor!, request);
      } finally {
        stepping = false;
      }
    },
    { validator: (request) => validate(request, actor) },
  );
  setHandler(screenQuery, () => (actor ? result() : null));
  setHandler(machineStateQuery, () => {
    if (!actor) return null;
    const snapshot = actor.getSnapshot();
    return { state: stateName(snapshot.value), context: snapshot.context };
  });
  setHandler(contextChangedSignal, async () => {
    const facts = await hosting.prefetch();
    const refreshed: FactsRefreshed<TFacts> = { type: 'facts.refreshed', facts };
    if (actor?.getSnapshot().can(refreshed)) actor.send(refreshed);
  });

  const facts = await hosting.prefetch();
  actor = createActor(hosting.machine as AnyStateMachine, {
    input: hosting.input(facts),
    clock: durableClock(),
  });
  followState(hosting.flow, start.party.telegramUserId, actor);
  actor.start();

  await condition(() => actor!.getSnapshot().status !== 'active');
  const { status, error } = actor.getSnapshot();
  // A machine that throws is a bug: failing the workflow task keeps the run for a fix.
  if (status === 'error')
    throw error instanceof Error ? error : new Error(String(error as unknown));
  await condition(allHandlersFinished);

  const final = result();
  return { flow: hosting.flow, state: stateName(actor.getSnapshot().value), screen: final.screen };

  async function step(running: AnyActor, request: StepRequest): Promise<StepResult> {
    if (request.event.type === 'flow.open') {
      if (request.updateId === start.startedBy) return result();

      // Another flow (or this one afresh) was asked for: end this run its own way first.
      running.send({ type: 'flow.cancel' });
      await condition(() => isSettled(running));
      return result({ superseded: true });
    }

    ensureAcceptable(running, request);
    seq += 1;
    running.send(request.event);
    await condition(() => isSettled(running));
    return result();
  }

  function validate(request: StepRequest, running: AnyActor | undefined): void {
    if (request.from !== start.party.telegramUserId) {
      throw ApplicationFailure.nonRetryable(
        `Sender ${request.from} is not the owner of this chat`,
        rejections.notChatOwner,
      );
    }
    // Before the machine starts only the Update that started the run can arrive.
    if (running && request.event.type !== 'flow.open') ensureAcceptable(running, request);
  }

  function ensureAcceptable(running: AnyActor, request: StepRequest): void {
    if (request.stamp !== undefined && request.stamp !== stamp()) {
      throw ApplicationFailure.nonRetryable(
        `Button stamp ${request.stamp} belongs to an earlier screen (now ${stamp()})`,
        rejections.staleButton,
      );
    }
    const snapshot = running.getSnapshot();
    if (snapshot.status !== 'active' || !snapshot.can(request.event)) {
      const state = stateName(snapshot.value);
      throw ApplicationFailure.nonRetryable(
        `${hosting.flow} cannot take ${request.event.type} in state ${state}; ` +
          `it accepts: ${acceptedEvents(snapshot).join(', ') || 'nothing (the flow has ended)'}`,
        rejections.unexpectedEvent,
        { state, accepts: acceptedEvents(snapshot) },
      );
    }
  }
}

/** Keeps the search attributes and the UI's current details in step with the machine. */
function followState(flow: FlowName, telegramUserId: number, actor: AnyActor): void {
  let shown = '';
  upsertSearchAttributes([
    { key: searchAttributes.flowType, value: flow },
    { key: searchAttributes.telegramUserId, value: telegramUserId },
  ]);

  actor.subscribe((snapshot) => {
    const state = stateName(snapshot.value);
    if (state === shown) return;

    shown = state;
    upsertSearchAttributes([{ key: searchAttributes.flowState, value: state }]);
    setCurrentDetails(`**${flow}** is in state \`${state}\``);
    log.info('flow state', { flow, state });
  });
}

/**
 * Idempotency keys for the activities of one run: the workflow id, the run and a counter per
 * activity, so a retried activity carries the key of its first attempt and replay agrees.
 */
export function idempotencyKeys(): (activity: string) => string {
  const counts = new Map<string, number>();

  return (activity) => {
    const count = (counts.get(activity) ?? 0) + 1;
    counts.set(activity, count);
    const { workflowId, runId } = workflowInfo();
    return `${workflowId}/${runId}/${activity}/${count}`;
  };
}
