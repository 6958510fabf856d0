import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  adjacencyMapToArray,
  getAdjacencyMap,
  getShortestPaths,
  getStateNodes,
  type AdjacencyMap,
} from '@xstate/graph';
import type { AnyEventObject, AnyStateMachine, SnapshotFrom } from 'xstate';
import type { CashoutEvent } from '../../machines/cashout-context.ts';
import type { CashoutInput } from '../../machines/cashout-facts.ts';
import { cashoutMachine, screenOfCashout } from '../../machines/cashout.ts';
import { stateName } from '../../machines/flow.ts';
import { aCashoutInput, someCashoutFacts } from '../support/cashout-builders.ts';

/**
 * The cashout machine as a graph: every state reachable from the inputs below with the events
 * below, and every transition between them. Simple paths are too many to list (hundreds of
 * states, Back and re-quotes everywhere), so the properties are checked on every state and
 * every edge of the adjacency map instead, which covers every path.
 */

type Snapshot = SnapshotFrom<typeof cashoutMachine>;

// Typed loosely: the graph is fed the actors' done and error events too.
const machine: AnyStateMachine = cashoutMachine;

const done = (actor: string, output: unknown): AnyEventObject => ({
  type: `xstate.done.actor.${actor}`,
  output,
});
const failed = (actor: string): AnyEventObject => ({
  type: `xstate.error.actor.${actor}`,
  error: new Error('down'),
});
const quoted = (networkFee: string) =>
  done('quote', {
    outcome: 'quoted',
    usdPerUnit: '95000',
    unitsPerUsd: '0.0000105263157894736842',
    networkFee,
    expiresAt: '2026-12-04T10:10:00.000Z',
  });
const waits = [
  'choosingAmount',
  'typingAmount',
  'choosingMethod',
  'choosingAsset',
  'choosingBank',
  'choosingDestination',
  'enteringDestination',
  'choosingSave',
  'typingLabel',
  'pricing',
];

const userEvents: CashoutEvent[] = [
  { type: 'amount.all' },
  { type: 'amount.custom' },
  { type: 'text.entered', text: '40' },
  { type: 'text.entered', text: '260' },
  { type: 'text.entered', text: 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4' },
  { type: 'text.entered', text: '0123456789' },
  { type: 'text.entered', text: '' },
  { type: 'method.choose', method: 'crypto' },
  { type: 'method.choose', method: 'bank' },
  { type: 'asset.choose', asset: 'BTC' },
  { type: 'bank.choose', bankCode: '044' },
  { type: 'bank.choose', bankCode: '058' },
  { type: 'destination.choose', destinationId: 'a1' },
  { type: 'destination.choose', destinationId: 'b1' },
  { type: 'destination.new' },
  { type: 'destination.save' },
  { type: 'destination.useOnce' },
  { type: 'cashout.confirm' },
  { type: 'code.entered', digest: 'digest' },
  { type: 'code.resend' },
  { type: 'step.back' },
  { type: 'flow.cancel' },
];

const events: AnyEventObject[] = [
  ...userEvents,
  done('resolveAccount', { outcome: 'found', accountName: 'ADA LOVELACE' }),
  done('resolveAccount', { outcome: 'notFound' }),
  failed('resolveAccount'),
  quoted('0.00002'),
  quoted('1'),
  done('quote', { outcome: 'unavailable' }),
  failed('quote'),
  done('sendCode', { outcome: 'sent', verificationId: 'v1', validMinutes: 10 }),
  done('sendCode', { outcome: 'cooldown', retryInSeconds: 30 }),
  failed('sendCode'),
  done('verifyCode', { outcome: 'verified' }),
  done('verifyCode', { outcome: 'wrong', triesLeft: 2 }),
  done('verifyCode', { outcome: 'locked' }),
  failed('verifyCode'),
  done('submit', { outcome: 'submitted', cashoutId: 'c1', awaitingReview: false }),
  done('submit', { outcome: 'insufficientFunds' }),
  done('submit', { outcome: 'quoteExpired' }),
  done('submit', { outcome: 'codeRequired' }),
  done('submit', { outcome: 'unknownDestination' }),
  done('submit', { outcome: 'outsideLimits', minUsd: '1', maxUsd: '500' }),
  done('submit', { outcome: 'blocked' }),
  done('submit', { outcome: 'alreadyActive', cashoutId: 'c2' }),
  failed('submit'),
  ...waits.map((state): AnyEventObject => ({ type: `xstate.after.inactivity.cashout.${state}` })),
  { type: 'xstate.after.rateLock.cashout.pricing.quoted' },
];

/** A state's identity: where it is, what it says, and which choices it holds. */
function serializeState(snapshot: unknown): string {
  const { value, context } = snapshot as Snapshot;
  return [
    stateName(value),
    context.notice?.code ?? '',
    context.amount ?? '',
    context.method ?? '',
    context.asset ?? context.bankCode ?? '',
    context.destination?.kind ?? '',
    context.saveAs === null ? '' : 'label',
    context.quote === null ? '' : 'quote',
    context.verificationId === null ? '' : 'sent',
    context.codeVerified ? 'verified' : '',
    context.fixedByShortcut ? 'fixed' : '',
  ].join('|');
}

const inputs: Record<string, CashoutInput> = {
  'with e-mail': aCashoutInput(),
  'without e-mail': aCashoutInput({ facts: someCashoutFacts({}, { verifiedEmail: null }) }),
  'cash out all': aCashoutInput({ shortcut: { kind: 'all' } }),
  'BTC again': aCashoutInput({ shortcut: { kind: 'again', destinationId: 'a1' } }),
  'bank again': aCashoutInput({ shortcut: { kind: 'again', destinationId: 'b1' } }),
  blocked: aCashoutInput({ facts: someCashoutFacts({}, { blocked: true }) }),
  'not onboarded': aCashoutInput({ facts: someCashoutFacts({}, { onboarded: false }) }),
  'active cashout': aCashoutInput({ facts: someCashoutFacts({ activeCashoutId: 'c0' }) }),
};

const graphs = Object.entries(inputs).map(([name, input]) => {
  const adjacency = getAdjacencyMap(machine, { input, events, serializeState }) as AdjacencyMap<
    Snapshot,
    AnyEventObject
  >;
  const edges = adjacencyMapToArray(adjacency) as Array<{
    state: Snapshot;
    event: AnyEventObject;
    nextState: Snapshot;
  }>;
  const states = Object.values(adjacency).map((value) => value.state);
  return { name, input, bySerial: new Map(Object.entries(adjacency)), edges, states };
});
const allStates = graphs.flatMap((graph) => graph.states);
const allEdges = graphs.flatMap((graph) => graph.edges);

const transient = [
  'routing',
  'routingAfterAmount',
  'routingToDestination',
  'routingBackToChoice',
  'routingBackFromQuote',
];

describe('every state and transition of the cashout machine', () => {
  it('reaches every state but the transient routing ones', () => {
    const reached = new Set(allStates.map((state) => stateName(state.value)));
    const leaves = getStateNodes(cashoutMachine.root)
      .filter((node) => node.type === 'atomic' || node.type === 'final')
      .map((node) => node.path.join('.'));
    assert.deepEqual(
      leaves.filter((leaf) => !reached.has(leaf)),
      transient,
      `${allStates.length} states, ${allEdges.length} transitions`,
    );
  });

  it('finds a shortest path to every state from the plain start', () => {
    const paths = getShortestPaths(machine, {
      input: aCashoutInput(),
      events,
      serializeState,
    });
    const done = paths.find((path) => stateName(path.state.value) === 'done');
    assert.ok(done, 'done is reachable');
    assert.deepEqual(
      done.steps.map((step) => step.event.type),
      [
        'xstate.init',
        'amount.all',
        'method.choose',
        'asset.choose',
        'destination.choose',
        'xstate.done.actor.quote',
        'cashout.confirm',
        'xstate.done.actor.sendCode',
        'code.entered',
        'xstate.done.actor.verifyCode',
        'xstate.done.actor.submit',
      ],
    );
  });

  it('drops the facts, the destination and the code on every ending', () => {
    const ended = allStates.filter((state) => state.status === 'done');
    assert.ok(ended.length >= 6);
    for (const state of ended) {
      const where = serializeState(state);
      assert.equal(state.context.facts, null, where);
      assert.equal(state.context.destination, null, where);
      assert.equal(state.context.accountNumber, null, where);
      assert.equal(state.context.verificationId, null, where);
    }
  });

  it('lets the user cancel from every state that has not ended, the commit excepted', () => {
    for (const state of allStates.filter((candidate) => candidate.status === 'active')) {
      const where = serializeState(state);
      assert.ok(state.can({ type: 'flow.cancel' }), where);
      assert.ok(screenOfCashout(state).state.length > 0, where);
    }

    const cancels = allEdges.filter((edge) => edge.event.type === 'flow.cancel');
    for (const { state, nextState } of cancels.filter((edge) => edge.state.status === 'active')) {
      const from = stateName(state.value);
      assert.equal(stateName(nextState.value), from === 'submitting' ? from : 'cancelled', from);
    }
  });

  it('offers Back on every step that waits for the user', () => {
    const waiting = allStates.filter(
      (state) => state.status === 'active' && Object.keys(state.children).length === 0,
    );
    for (const state of waiting) {
      assert.ok(state.can({ type: 'step.back' }), serializeState(state));
    }
  });

  it('enters submitting only from a confirmed quote, or a code verified after confirming it', () => {
    const entries = allEdges.filter(
      (edge) =>
        stateName(edge.nextState.value) === 'submitting' &&
        stateName(edge.state.value) !== 'submitting',
    );
    assert.ok(entries.length > 0);
    for (const { state, event, nextState } of entries) {
      const via = `${stateName(state.value)} + ${event.type}`;
      assert.ok(
        [
          'pricing.quoted.reviewing + cashout.confirm',
          'pricing.quoted.verifyingCode + xstate.done.actor.verifyCode',
        ].includes(via),
        via,
      );
      assert.notEqual(nextState.context.quote, null, via);
      assert.notEqual(nextState.context.destination, null, via);
    }
  });

  it('never reaches submitting without confirming the quote in force', () => {
    // Walk each graph remembering whether the current quote was confirmed: a new quote (or
    // none) clears it, a confirm sets it. No edge may enter submitting with it cleared.
    for (const { name, bySerial } of graphs) {
      const [start] = bySerial.keys();
      assert.ok(start !== undefined);
      const seen = new Set([`${start}#false`]);
      const queue: Array<[string, boolean]> = [[start, false]];

      for (let at = 0; at < queue.length; at += 1) {
        const [serial, confirmed] = queue[at]!;
        const { state, transitions } = bySerial.get(serial)!;
        const moves = Object.values(transitions) as Array<{
          event: AnyEventObject;
          state: Snapshot;
        }>;
        for (const { event, state: next } of moves) {
          const requoted = next.context.quote !== state.context.quote;
          const nextConfirmed = event.type === 'cashout.confirm' || (confirmed && !requoted);
          const entering =
            stateName(next.value) === 'submitting' && stateName(state.value) !== 'submitting';
          assert.ok(!entering || nextConfirmed, `${name}: ${serial} + ${event.type}`);

          const key = `${serializeState(next)}#${nextConfirmed}`;
          if (seen.has(key)) continue;
          seen.add(key);
          queue.push([serializeState(next), nextConfirmed]);
        }
      }
      assert.ok(queue.length >= bySerial.size, name);
    }
  });

  it('asks a user with a verified e-mail for a code before every first submit', () => {
    const withEmail = graphs.find((graph) => graph.name === 'with e-mail')!;
    for (const { state, event, nextState } of withEmail.edges) {
      if (stateName(nextState.value) !== 'submitting' || stateName(state.value) === 'submitting')
        continue;
      assert.ok(
        nextState.context.codeVerified,
        `${serializeState(state)} + ${event.type} submits without a verified code`,
      );
    }
  });
});
