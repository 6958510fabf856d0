import { assign, setup, type SnapshotFrom } from 'xstate';
import { z } from 'zod';
import {
  providedByHost,
  stateName,
  type ChatParty,
  type CodeEntered,
  type FlowCancelled,
  type Notice,
  type Screen,
  type StepBack,
  type TextEntered,
} from './flow.ts';
import { codeCheckedNotice, codeSentNotice } from './email-code.ts';
import { menuScreen, type MenuFacts } from './menu.ts';

export interface Referrer {
  firstName: string;
  username: string | null;
}

/** What `prefetchOnboardingContext` loads in its one statement. */
export interface OnboardingFacts {
  menu: MenuFacts;
  /** The owner of the `ref_<CODE>` in the deep link, when it names another user. */
  referrer: Referrer | null;
}

export interface OnboardingSettings {
  inactivityMs: number;
  referralBonusUsd: string;
}

export interface OnboardingInput {
  party: ChatParty;
  param?: string;
  settings: OnboardingSettings;
  facts: OnboardingFacts;
}

export type SendCodeResult =
  | { outcome: 'sent'; verificationId: string; validMinutes: number }
  | { outcome: 'emailTaken' }
  | { outcome: 'cooldown'; retryInSeconds: number }
  | { outcome: 'hourlyLimit'; retryInMinutes: number };

export type VerifyCodeResult =
  | { outcome: 'verified' }
  | { outcome: 'wrong'; triesLeft: number }
  | { outcome: 'locked' }
  | { outcome: 'expired' };

export type FinishResult = { outcome: 'done'; menu: MenuFacts } | { outcome: 'emailTaken' };

export interface SendCodeInput {
  telegramUserId: number;
  email: string;
  /** What the code authorizes, for the e-mail's wording; signing up when absent. */
  purpose?: 'signup' | 'cashout';
}
export interface VerifyCodeInput {
  telegramUserId: number;
  verificationId: string;
  digest: string;
}
export interface FinishInput {
  telegramUserId: number;
  verificationId: string | null;
  referralCode: string | null;
}

export type OnboardingEvent =
  | FlowCancelled
  | TextEntered
  | CodeEntered
  | StepBack
  | { type: 'onboarding.begin' }
  | { type: 'email.skip' }
  | { type: 'email.change' }
  | { type: 'code.resend' }
  | { type: 'terms.accept' }
  | { type: 'terms.decline' };

interface OnboardingContext {
  party: ChatParty;
  settings: OnboardingSettings;
  referralCode: string | null;
  /** Prefetched facts; null once the flow ends. */
  facts: OnboardingFacts | null;
  email: string | null;
  verificationId: string | null;
  verified: boolean;
  notice: Notice | null;
  /** The main menu shown when onboarding is done. */
  menu: MenuFacts | null;
}

export const EMAIL_MAX_LENGTH = 254;
const emailFormat = z.email();

/** A notice code for a typed e-mail address, or null when it is acceptable. */
export function emailProblem(text: string): string | null {
  const email = text.trim();
  if (email === '') return 'email.empty';
  if (email.length > EMAIL_MAX_LENGTH) return 'email.tooLong';
  return emailFormat.safeParse(email).success ? null : 'email.invalid';
}

/** The referral code of a `ref_<CODE>` start parameter, upper-cased, or null. */
export function referralCodeOf(param: string | undefined): string | null {
  const match = /^ref_([A-Za-z0-9]{4,32})$/.exec(param ?? '');
  return match?.[1]?.toUpperCase() ?? null;
}

const unavailable = { type: 'showNotice', params: { code: 'service.unavailable' } } as const;

/**
 * Onboarding (`/start`): welcome, optional e-mail with a one-time code, terms, then the main
 * menu. Everything it shows or checks was prefetched; the actors are the only I/O.
 */
export const onboardingMachine = setup({
  types: {
    input: {} as OnboardingInput,
    context: {} as OnboardingContext,
    events: {} as OnboardingEvent,
  },
  actors: {
    sendCode: providedByHost<SendCodeResult, SendCodeInput>('sendCode'),
    verifyCode: providedByHost<VerifyCodeResult, VerifyCodeInput>('verifyCode'),
    finish: providedByHost<FinishResult, FinishInput>('finish'),
  },
  guards: {
    isBlocked: ({ context }) => context.facts?.menu.blocked === true,
    isOnboarded: ({ context }) => context.facts?.menu.onboarded === true,
    isAcceptableEmail: ({ event }) => event.type === 'text.entered' && !emailProblem(event.text),
  },
  actions: {
    clearNotice: assign({ notice: null }),
    showNotice: assign({ notice: (_, params: Notice) => params }),
    rememberEmail: assign({
      email: ({ event }) =>
        event.type === 'text.entered' ? event.text.trim().toLowerCase() : null,
      verificationId: null,
      verified: false,
    }),
    forgetEmail: assign({ email: null, verificationId: null, verified: false }),
    noteEmailProblem: assign({
      notice: ({ event }): Notice => ({
        code:
          event.type === 'text.entered'
            ? (emailProblem(event.text) ?? 'email.invalid')
            : 'email.looksLikeCode',
      }),
    }),
    forgetFacts: assign({ facts: null, email: null, verificationId: null }),
  },
  delays: {
    inactivity: ({ context }) => context.settings.inactivityMs,
  },
}).createMachine({
  id: 'onboarding',
  context: ({ input }) => ({
    party: input.party,
    settings: input.settings,
    referralCode: referralCodeOf(input.param),
    facts: input.facts,
    email: null,
    verificationId: null,
    verified: false,
    notice: null,
    menu: null,
  }),
  initial: 'routing',
  on: {
    'flow.cancel': { target: '.cancelled' },
  },
  states: {
    routing: {
      always: [
        { guard: 'isBlocked', target: 'suspended' },
        {
          guard: 'isOnboarded',
          target: 'done',
          actions: assign({ menu: ({ context }) => context.facts?.menu ?? null }),
        },
        { target: 'welcome' },
      ],
    },

    welcome: {
      after: { inactivity: 'timedOut' },
      on: {
        'onboarding.begin': { target: 'askingEmail', actions: 'clearNotice' },
      },
    },

    askingEmail: {
      after: { inactivity: 'timedOut' },
      on: {
        'text.entered': [
          {
            guard: 'isAcceptableEmail',
            target: 'sendingCode',
            actions: ['clearNotice', 'rememberEmail'],
          },
          { target: 'askingEmail', reenter: true, actions: 'noteEmailProblem' },
        ],
        'code.entered': { target: 'askingEmail', reenter: true, actions: 'noteEmailProblem' },
        'email.skip': { target: 'terms', actions: ['clearNotice', 'forgetEmail'] },
        'step.back': { target: 'welcome', actions: 'clearNotice' },
      },
    },

    sendingCode: {
      invoke: {
        id: 'sendCode',
        src: 'sendCode',
        input: ({ context }) => ({
          telegramUserId: context.party.telegramUserId,
          email: context.email ?? '',
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.outcome === 'sent',
            target: 'awaitingCode',
            actions: assign({
              verificationId: ({ event }) =>
                event.output.outcome === 'sent' ? event.output.verificationId : null,
              notice: ({ event }): Notice => ({
                code: 'code.sent',
                values: {
                  validMinutes: event.output.outcome === 'sent' ? event.output.validMinutes : 0,
                },
              }),
            }),
          },
          {
            guard: ({ context }) => context.verificationId !== null,
            target: 'awaitingCode',
            actions: assign({ notice: ({ event }) => codeSentNotice(event.output) }),
          },
          {
            target: 'askingEmail',
            actions: assign({ notice: ({ event }) => codeSentNotice(event.output) }),
          },
        ],
        onError: [
          {
            guard: ({ context }) => context.verificationId !== null,
            target: 'awaitingCode',
            actions: unavailable,
          },
          { target: 'askingEmail', actions: unavailable },
        ],
      },
    },

    awaitingCode: {
      after: { inactivity: 'timedOut' },
      on: {
        'code.entered': { target: 'verifyingCode', actions: 'clearNotice' },
        'text.entered': {
          target: 'awaitingCode',
          reenter: true,
          actions: { type: 'showNotice', params: { code: 'code.format' } },
        },
        'code.resend': { target: 'sendingCode', actions: 'clearNotice' },
        'email.change': { target: 'askingEmail', actions: ['clearNotice', 'forgetEmail'] },
        'step.back': { target: 'askingEmail', actions: ['clearNotice', 'forgetEmail'] },
      },
    },

    verifyingCode: {
      invoke: {
        id: 'verifyCode',
        src: 'verifyCode',
        input: ({ context, event }) => ({
          telegramUserId: context.party.telegramUserId,
          verificationId: context.verificationId ?? '',
          digest: event.type === 'code.entered' ? event.digest : '',
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.outcome === 'verified',
            target: 'terms',
            actions: assign({ verified: true, notice: { code: 'email.verified' } }),
          },
          {
            target: 'awaitingCode',
            actions: assign({
              notice: ({ event }) => codeCheckedNotice(event.output, 'email.verified'),
            }),
          },
        ],
        onError: { target: 'awaitingCode', actions: unavailable },
      },
    },

    terms: {
      after: { inactivity: 'timedOut' },
      on: {
        'terms.accept': { target: 'finishing', actions: 'clearNotice' },
        'terms.decline': { target: 'declined' },
        'step.back': { target: 'askingEmail', actions: ['clearNotice', 'forgetEmail'] },
      },
    },

    finishing: {
      invoke: {
        id: 'finish',
        src: 'finish',
        input: ({ context }) => ({
          telegramUserId: context.party.telegramUserId,
          verificationId: context.verified ? context.verificationId : null,
          referralCode: context.facts?.referrer ? context.referralCode : null,
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.outcome === 'done',
            target: 'done',
            actions: assign({
              menu: ({ event }) => (event.output.outcome === 'done' ? event.output.menu : null),
            }),
          },
          {
            target: 'askingEmail',
            actions: ['forgetEmail', { type: 'showNotice', params: { code: 'email.taken' } }],
          },
        ],
        onError: { target: 'terms', actions: unavailable },
      },
    },

    done: { type: 'final', entry: 'forgetFacts' },
    declined: { type: 'final', entry: 'forgetFacts' },
    cancelled: { type: 'final', entry: 'forgetFacts' },
    timedOut: { type: 'final', entry: 'forgetFacts' },
    suspended: { type: 'final', entry: 'forgetFacts' },
  },
});

/** The screen of an onboarding snapshot; `done` is the main menu. */
export function screenOfOnboarding(snapshot: SnapshotFrom<typeof onboardingMachine>): Screen {
  const { context } = snapshot;
  const state = stateName(snapshot.value);
  if (state === 'done') return menuScreen(context.menu);

  const data: Record<string, unknown> = { firstName: context.party.firstName };
  if (state === 'welcome' && context.facts?.referrer) {
    data.referrer = context.facts.referrer;
    data.bonusUsd = context.settings.referralBonusUsd;
  }
  if (state === 'awaitingCode') data.email = context.email;

  return { flow: 'onboarding', state, data, notice: context.notice };
}
