import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createActor, fromPromise, SimulatedClock, type SnapshotFrom } from 'xstate';
import {
  onboardingMachine,
  screenOfOnboarding,
  type FinishInput,
  type FinishResult,
  type OnboardingEvent,
  type SendCodeInput,
  type SendCodeResult,
  type VerifyCodeInput,
  type VerifyCodeResult,
} from '../../machines/onboarding.ts';
import { stateName } from '../../machines/flow.ts';
import { anOnboardingInput, someMenuFacts, someOnboardingFacts } from '../support/builders.ts';

interface Fakes {
  send?: (input: SendCodeInput) => SendCodeResult;
  verify?: (input: VerifyCodeInput) => VerifyCodeResult;
  finish?: (input: FinishInput) => FinishResult;
}

/** A live actor with scripted actors; records every actor call. */
function start(input = anOnboardingInput(), fakes: Fakes = {}) {
  const calls: Array<{ actor: string; input: unknown }> = [];
  const clock = new SimulatedClock();
  const fake = <I, O>(actor: string, run: (input: I) => O) =>
    fromPromise<O, I>(async ({ input }) => {
      calls.push({ actor, input });
      return run(input);
    });
  const machine = onboardingMachine.provide({
    actors: {
      sendCode: fake(
        'sendCode',
        fakes.send ?? (() => ({ outcome: 'sent', verificationId: 'v1', validMinutes: 10 })),
      ),
      verifyCode: fake('verifyCode', fakes.verify ?? (() => ({ outcome: 'verified' }))),
      finish: fake(
        'finish',
        fakes.finish ?? (() => ({ outcome: 'done', menu: someMenuFacts({ onboarded: true }) })),
      ),
    },
  });
  const actor = createActor(machine, { input, clock }).start();

  const send = async (event: OnboardingEvent) => {
    actor.send(event);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const state = () => stateName(actor.getSnapshot().value);
  const snapshot = (): SnapshotFrom<typeof onboardingMachine> => actor.getSnapshot();
  return { actor, send, state, snapshot, calls, clock };
}

describe('onboarding machine', () => {
  it('sends a blocked user to suspended and nothing else', () => {
    const { state, snapshot } = start(
      anOnboardingInput({ facts: someOnboardingFacts({ blocked: true }) }),
    );
    assert.equal(state(), 'suspended');
    assert.equal(snapshot().status, 'done');
    assert.equal(snapshot().context.facts, null);
  });

  it('takes an onboarded user straight to the main menu', () => {
    const { snapshot } = start(
      anOnboardingInput({ facts: someOnboardingFacts({ onboarded: true }) }),
    );
    const screen = screenOfOnboarding(snapshot());
    assert.deepEqual([screen.flow, screen.state], ['menu', 'main']);
    assert.equal(snapshot().context.facts, null);
  });

  it('names the referrer and the bonus on the welcome screen', () => {
    const { snapshot } = start(
      anOnboardingInput({
        param: 'ref_bob12345',
        facts: someOnboardingFacts({}, { firstName: 'Bob', username: 'bob' }),
      }),
    );
    const screen = screenOfOnboarding(snapshot());
    assert.equal(screen.state, 'welcome');
    assert.deepEqual(screen.data.referrer, { firstName: 'Bob', username: 'bob' });
    assert.equal(screen.data.bonusUsd, '5');
    assert.equal(snapshot().context.referralCode, 'BOB12345');
  });

  it('verifies an e-mail with a code, then finishes with the verified code and referral', async () => {
    const flow = start(
      anOnboardingInput({
        param: 'ref_BOB12345',
        facts: someOnboardingFacts({}, { firstName: 'Bob', username: null }),
      }),
    );
    await flow.send({ type: 'onboarding.begin' });
    await flow.send({ type: 'text.entered', text: '  Ada@Example.COM ' });
    assert.equal(flow.state(), 'awaitingCode');
    assert.deepEqual(flow.calls[0], {
      actor: 'sendCode',
      input: { telegramUserId: 1001, email: 'ada@example.com' },
    });

    await flow.send({ type: 'code.entered', digest: 'd1' });
    assert.equal(flow.state(), 'terms');
    await flow.send({ type: 'terms.accept' });

    assert.equal(flow.state(), 'done');
    assert.equal(screenOfOnboarding(flow.snapshot()).flow, 'menu');
    assert.deepEqual(flow.calls.at(-1), {
      actor: 'finish',
      input: { telegramUserId: 1001, verificationId: 'v1', referralCode: 'BOB12345' },
    });
    assert.equal(flow.snapshot().context.facts, null);
    assert.equal(flow.snapshot().context.email, null);
  });

  it('finishes without an e-mail when the user skips it, and ignores a referral nobody owns', async () => {
    const flow = start(anOnboardingInput({ param: 'ref_NOBODY99' }));
    await flow.send({ type: 'onboarding.begin' });
    await flow.send({ type: 'email.skip' });
    await flow.send({ type: 'terms.accept' });
    assert.deepEqual(flow.calls, [
      {
        actor: 'finish',
        input: { telegramUserId: 1001, verificationId: null, referralCode: null },
      },
    ]);
  });

  for (const [label, text, notice] of [
    ['empty', '', 'email.empty'],
    ['blank', '   ', 'email.empty'],
    ['10,000 characters', `${'a'.repeat(9_990)}@example.com`, 'email.tooLong'],
    ['emoji', '😀@😀.com', 'email.invalid'],
    ['SQL', "x'; DROP TABLE users; --", 'email.invalid'],
    ['HTML', '<b>ada</b>@example.com', 'email.invalid'],
    ['no domain', 'ada@', 'email.invalid'],
  ] as const) {
    it(`keeps asking for the e-mail after ${label} input, calling nothing`, async () => {
      const flow = start();
      await flow.send({ type: 'onboarding.begin' });
      await flow.send({ type: 'text.entered', text });
      assert.equal(flow.state(), 'askingEmail');
      assert.deepEqual(flow.snapshot().context.notice, { code: notice });
      assert.deepEqual(flow.calls, []);
    });
  }

  it('refuses a code typed where the e-mail is asked for', async () => {
    const flow = start();
    await flow.send({ type: 'onboarding.begin' });
    await flow.send({ type: 'code.entered', digest: 'd' });
    assert.equal(flow.state(), 'askingEmail');
    assert.deepEqual(flow.snapshot().context.notice, { code: 'email.looksLikeCode' });
  });

  it('stays on the code step after wrong codes and a resend inside the cooldown', async () => {
    let tries = 5;
    const flow = start(anOnboardingInput(), {
      verify: () => (--tries > 0 ? { outcome: 'wrong', triesLeft: tries } : { outcome: 'locked' }),
      send: (input) =>
        flow.calls.filter((call) => call.actor === 'sendCode').length > 1
          ? { outcome: 'cooldown', retryInSeconds: 42 }
          : { outcome: 'sent', verificationId: `v-${input.email}`, validMinutes: 10 },
    });
    await flow.send({ type: 'onboarding.begin' });
    await flow.send({ type: 'text.entered', text: 'ada@example.com' });

    for (let i = 0; i < 6; i += 1) await flow.send({ type: 'code.entered', digest: `wrong${i}` });
    assert.equal(flow.state(), 'awaitingCode');
    assert.deepEqual(flow.snapshot().context.notice, { code: 'code.locked' });

    await flow.send({ type: 'text.entered', text: '12 34' });
    assert.deepEqual(flow.snapshot().context.notice, { code: 'code.format' });

    await flow.send({ type: 'code.resend' });
    assert.equal(flow.state(), 'awaitingCode');
    assert.deepEqual(flow.snapshot().context.notice, {
      code: 'code.resendTooSoon',
      values: { seconds: 42 },
    });
  });

  it('goes back to the e-mail step when the address is taken or the user changes it', async () => {
    const flow = start(anOnboardingInput(), { send: () => ({ outcome: 'emailTaken' }) });
    await flow.send({ type: 'onboarding.begin' });
    await flow.send({ type: 'text.entered', text: 'taken@example.com' });
    assert.equal(flow.state(), 'askingEmail');
    assert.deepEqual(flow.snapshot().context.notice, { code: 'email.taken' });
  });

  it('tells the user the service is unavailable when an activity keeps failing', async () => {
    const flow = start(anOnboardingInput(), {
      finish: () => {
        throw new Error('database down');
      },
    });
    await flow.send({ type: 'onboarding.begin' });
    await flow.send({ type: 'email.skip' });
    await flow.send({ type: 'terms.accept' });
    assert.equal(flow.state(), 'terms');
    assert.deepEqual(flow.snapshot().context.notice, { code: 'service.unavailable' });
  });

  for (const steps of [
    [],
    [{ type: 'onboarding.begin' }],
    [{ type: 'onboarding.begin' }, { type: 'text.entered', text: 'ada@example.com' }],
    [{ type: 'onboarding.begin' }, { type: 'email.skip' }],
  ] as OnboardingEvent[][]) {
    it(`cancels from ${steps.at(-1)?.type ?? 'the welcome'} step and drops the facts`, async () => {
      const flow = start();
      for (const event of steps) await flow.send(event);
      await flow.send({ type: 'flow.cancel' });
      assert.equal(flow.state(), 'cancelled');
      assert.equal(flow.snapshot().status, 'done');
      assert.equal(flow.snapshot().context.facts, null);
      assert.equal(flow.snapshot().context.email, null);
    });
  }

  it('times out after the configured inactivity and drops the facts', async () => {
    const flow = start();
    await flow.send({ type: 'onboarding.begin' });
    flow.clock.increment(30 * 60_000 - 1);
    assert.equal(flow.state(), 'askingEmail');

    flow.clock.increment(1);
    assert.equal(flow.state(), 'timedOut');
    assert.equal(flow.snapshot().context.facts, null);
  });

  it('restarts the inactivity timer on each input, including a mistake', async () => {
    const flow = start();
    await flow.send({ type: 'onboarding.begin' });
    flow.clock.increment(29 * 60_000);
    await flow.send({ type: 'text.entered', text: 'nonsense' });
    flow.clock.increment(29 * 60_000);
    assert.equal(flow.state(), 'askingEmail');
  });

  it('ends on decline, dropping the facts', async () => {
    const flow = start();
    await flow.send({ type: 'onboarding.begin' });
    await flow.send({ type: 'email.skip' });
    await flow.send({ type: 'terms.decline' });
    assert.equal(flow.state(), 'declined');
    assert.equal(flow.snapshot().context.facts, null);
  });
});
