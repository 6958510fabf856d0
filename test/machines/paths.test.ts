import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getSimplePaths, getStateNodes } from '@xstate/graph';
import type { AnyMachineSnapshot, AnyStateMachine, AnyEventObject } from 'xstate';
import { stateName } from '../../machines/flow.ts';
import { menuMachine, screenOfMenu } from '../../machines/menu.ts';
import {
  onboardingMachine,
  screenOfOnboarding,
  type OnboardingEvent,
} from '../../machines/onboarding.ts';
import {
  anOnboardingInput,
  aParty,
  someMenuFacts,
  someOnboardingFacts,
} from '../support/builders.ts';

/** Every simple path from the start, with a state's identity being its value and notice. */
function pathsOf(machine: AnyStateMachine, input: unknown, events: AnyEventObject[]) {
  return getSimplePaths(machine, {
    input,
    events,
    serializeState: (snapshot) => {
      const { value, context } = snapshot as AnyMachineSnapshot;
      return `${stateName(value)}|${JSON.stringify(context.notice ?? null)}|${String(context.verified ?? '')}`;
    },
  });
}

function leafStates(machine: AnyStateMachine): string[] {
  return getStateNodes(machine.root)
    .filter((node) => node.type === 'atomic' || node.type === 'final')
    .map((node) => node.path.join('.'));
}

const done = (actor: string, output: unknown): AnyEventObject => ({
  type: `xstate.done.actor.${actor}`,
  output,
});
const failed = (actor: string): AnyEventObject => ({
  type: `xstate.error.actor.${actor}`,
  error: new Error('down'),
});
const waits = ['welcome', 'askingEmail', 'awaitingCode', 'terms'];

const onboardingEvents: AnyEventObject[] = [
  ...([
    { type: 'onboarding.begin' },
    { type: 'text.entered', text: 'ada@example.com' },
    { type: 'text.entered', text: 'not an address' },
    { type: 'code.entered', digest: 'digest' },
    { type: 'email.skip' },
    { type: 'email.change' },
    { type: 'code.resend' },
    { type: 'terms.accept' },
    { type: 'terms.decline' },
    { type: 'step.back' },
    { type: 'flow.cancel' },
  ] satisfies OnboardingEvent[]),
  done('sendCode', { outcome: 'sent', verificationId: 'v1', validMinutes: 10 }),
  done('sendCode', { outcome: 'emailTaken' }),
  done('sendCode', { outcome: 'cooldown', retryInSeconds: 30 }),
  done('sendCode', { outcome: 'hourlyLimit', retryInMinutes: 20 }),
  failed('sendCode'),
  done('verifyCode', { outcome: 'verified' }),
  done('verifyCode', { outcome: 'wrong', triesLeft: 2 }),
  done('verifyCode', { outcome: 'locked' }),
  done('verifyCode', { outcome: 'expired' }),
  failed('verifyCode'),
  done('finish', { outcome: 'done', menu: someMenuFacts({ onboarded: true }) }),
  done('finish', { outcome: 'emailTaken' }),
  failed('finish'),
  ...waits.map((state): AnyEventObject => ({
    type: `xstate.after.inactivity.onboarding.${state}`,
  })),
];

describe('every path of the onboarding machine', () => {
  const inputs = {
    newcomer: anOnboardingInput(),
    referred: anOnboardingInput({
      param: 'ref_BOB12345',
      facts: someOnboardingFacts({}, { firstName: 'Bob', username: 'bob' }),
    }),
    blocked: anOnboardingInput({ facts: someOnboardingFacts({ blocked: true }) }),
    onboarded: anOnboardingInput({ facts: someOnboardingFacts({ onboarded: true }) }),
  };
  const paths = Object.values(inputs).flatMap((input) =>
    pathsOf(onboardingMachine, input, onboardingEvents),
  );

  it('reaches every state of the machine', () => {
    const reached = new Set(paths.map((path) => stateName(path.state.value)));
    const missing = leafStates(onboardingMachine).filter((state) => !reached.has(state));
    assert.deepEqual(missing, ['routing'], `${paths.length} paths`);
  });

  it('drops the prefetched facts and the e-mail on every path that ends', () => {
    const ended = paths.filter((path) => path.state.status === 'done');
    assert.ok(ended.length > 0);
    for (const path of ended) {
      assert.equal(path.state.context.facts, null, stateName(path.state.value));
      assert.equal(path.state.context.email, null, stateName(path.state.value));
    }
  });

  it('keeps cancel possible and a screen renderable on every path that does not end', () => {
    for (const path of paths) {
      const screen = screenOfOnboarding(path.state as never);
      assert.ok(screen.state.length > 0);
      if (path.state.status === 'done') continue;
      assert.ok(
        path.state.can({ type: 'flow.cancel' }),
        `cancel in ${stateName(path.state.value)}`,
      );
    }
  });

  it('only verifies a code and finishes with one after a sent code', () => {
    for (const path of paths) {
      const types = path.steps.map((step) => step.event.type);
      const verifiedAt = types.indexOf('xstate.done.actor.verifyCode');
      if (verifiedAt >= 0)
        assert.ok(types.slice(0, verifiedAt).includes('xstate.done.actor.sendCode'));
    }
  });
});

describe('every path of the menu machine', () => {
  const cases = [
    { page: undefined, facts: someMenuFacts({ onboarded: true }), ends: 'main' },
    { page: 'invite', facts: someMenuFacts({ onboarded: true }), ends: 'invite' },
    { page: 'help', facts: someMenuFacts({ onboarded: true }), ends: 'help' },
    { page: 'wallet', facts: someMenuFacts({ onboarded: true }), ends: 'wallet' },
    { page: 'activity', facts: someMenuFacts({ onboarded: true, activity: [] }), ends: 'activity' },
    { page: 'nonsense', facts: someMenuFacts({ onboarded: true }), ends: 'main' },
    { page: 'invite', facts: someMenuFacts({ onboarded: false }), ends: 'needsOnboarding' },
    { page: 'main', facts: someMenuFacts({ onboarded: true, blocked: true }), ends: 'suspended' },
  ];

  for (const { page, facts, ends } of cases) {
    it(`shows ${ends} for page ${page ?? '(none)'} and ends without the facts`, () => {
      const paths = pathsOf(menuMachine, { party: aParty(), page, facts }, [
        { type: 'flow.cancel' },
      ]);
      assert.equal(paths.length, 1);
      const [{ state }] = paths as [(typeof paths)[number]];
      assert.equal(stateName(state.value), ends);
      assert.equal(state.status, 'done');
      assert.equal(state.context.facts, null);
      assert.equal(screenOfMenu(state as never).state, ends);
    });
  }

  it('has no state the cases above miss', () => {
    assert.deepEqual(
      leafStates(menuMachine).filter((state) => !cases.some((c) => c.ends === state)),
      ['routing'],
    );
  });
});
