import { assign } from 'xstate';
import { priced, quoteInputOf, submitInputOf } from './cashout-context.ts';
import { commitRefusal, nothingArrives } from './cashout-notices.ts';
import { codeCheckedNotice, codeSentNotice } from './email-code.ts';
import { cashoutSetup, notice, unavailable } from './cashout-setup.ts';

/**
 * Steps 9–12 of the cashout: the quote with its locked rate, confirm, the e-mail code when the
 * user has a verified e-mail, and the commit.
 */

// One inactivity timer for the whole quote: re-quotes on rate-lock expiry happen inside,
// so an idle user is not re-quoted forever.
export const pricingState = cashoutSetup.createStateConfig({
  initial: 'quoting',
  after: { inactivity: 'timedOut' },
  states: {
    quoting: {
      invoke: {
        id: 'quote',
        src: 'quote',
        input: ({ context }) => quoteInputOf(context),
        onDone: [
          {
            guard: ({ context, event }) => priced(context, event.output) !== null,
            target: 'quoted',
            actions: assign({ quote: ({ context, event }) => priced(context, event.output) }),
          },
          {
            guard: ({ event }) => event.output.outcome === 'quoted',
            target: '#cashout.choosingAmount',
            actions: [
              'forgetPricing',
              assign({ notice: ({ context, event }) => nothingArrives(context, event.output) }),
            ],
          },
          {
            target: '#cashout.routingBackFromQuote',
            actions: ['forgetPricing', notice('quote.unavailable')],
          },
        ],
        onError: {
          target: '#cashout.routingBackFromQuote',
          actions: ['forgetPricing', unavailable],
        },
      },
    },

    quoted: {
      initial: 'reviewing',
      after: {
        rateLock: {
          target: 'quoting',
          actions: [assign({ quote: null }), notice('quote.expired')],
        },
      },
      states: {
        reviewing: {
          on: {
            'cashout.confirm': [
              { guard: 'needsNoCode', target: '#cashout.submitting', actions: 'clearNotice' },
              {
                guard: 'isCodeVerified',
                target: '#cashout.submitting',
                actions: 'clearNotice',
              },
              { guard: 'isCodeSent', target: 'awaitingCode', actions: 'clearNotice' },
              { target: 'sendingCode', actions: 'clearNotice' },
            ],
            'step.back': {
              target: '#cashout.routingBackFromQuote',
              actions: ['clearNotice', 'forgetPricing'],
            },
          },
        },

        sendingCode: {
          invoke: {
            id: 'sendCode',
            src: 'sendCode',
            input: ({ context }) => ({
              telegramUserId: context.party.telegramUserId,
              email: context.facts?.user.verifiedEmail ?? '',
              purpose: 'cashout' as const,
            }),
            onDone: [
              {
                guard: ({ event }) => event.output.outcome === 'sent',
                target: 'awaitingCode',
                actions: assign({
                  verificationId: ({ event }) =>
                    event.output.outcome === 'sent' ? event.output.verificationId : null,
                  notice: ({ event }) => codeSentNotice(event.output),
                }),
              },
              {
                guard: 'isCodeSent',
                target: 'awaitingCode',
                actions: assign({ notice: ({ event }) => codeSentNotice(event.output) }),
              },
              {
                target: 'reviewing',
                actions: assign({ notice: ({ event }) => codeSentNotice(event.output) }),
              },
            ],
            onError: [
              { guard: 'isCodeSent', target: 'awaitingCode', actions: unavailable },
              { target: 'reviewing', actions: unavailable },
            ],
          },
        },

        awaitingCode: {
          on: {
            'code.entered': [
              { guard: 'isCodeSent', target: 'verifyingCode', actions: 'clearNotice' },
              { target: 'awaitingCode', reenter: true, actions: notice('code.resendNeeded') },
            ],
            'text.entered': {
              target: 'awaitingCode',
              reenter: true,
              actions: notice('code.format'),
            },
            'code.resend': { target: 'sendingCode', actions: 'clearNotice' },
            'step.back': { target: 'reviewing', actions: 'clearNotice' },
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
                target: '#cashout.submitting',
                actions: assign({ codeVerified: true, notice: null }),
              },
              {
                guard: ({ event }) => event.output.outcome === 'wrong',
                target: 'awaitingCode',
                actions: assign({
                  notice: ({ event }) => codeCheckedNotice(event.output, 'code.verified'),
                }),
              },
              {
                // Locked or expired: that code is dead, only a new one can be verified.
                target: 'awaitingCode',
                actions: assign({
                  verificationId: null,
                  notice: ({ event }) => codeCheckedNotice(event.output, 'code.verified'),
                }),
              },
            ],
            onError: { target: 'awaitingCode', actions: unavailable },
          },
        },
      },
    },
  },
});

/**
 * The commit. Its refusals mean a fact changed since the prefetch (balance, block, another
 * cashout, a deleted destination) or the quote or code went stale: each goes back to the step
 * that can fix it, or ends the flow when nothing can.
 */
export const submittingState = cashoutSetup.createStateConfig({
  on: {
    // The commit is in flight: its outcome, not a cancel, decides how this ends.
    'flow.cancel': { actions: notice('cashout.submitting') },
  },
  invoke: {
    id: 'submit',
    src: 'submit',
    input: ({ context }) => submitInputOf(context),
    onDone: [
      {
        guard: ({ event }) => event.output.outcome === 'submitted',
        target: 'done',
        actions: assign({
          submitted: ({ event }) =>
            event.output.outcome === 'submitted'
              ? { cashoutId: event.output.cashoutId, awaitingReview: event.output.awaitingReview }
              : null,
          notice: null,
        }),
      },
      {
        guard: ({ event }) => event.output.outcome === 'quoteExpired',
        target: 'pricing',
        actions: [assign({ quote: null }), notice('quote.expired'), 'takeRefreshedFacts'],
      },
      {
        guard: ({ event }) => event.output.outcome === 'codeRequired',
        target: 'pricing',
        actions: ['forgetPricing', notice('code.required'), 'takeRefreshedFacts'],
      },
      {
        guard: ({ event }) => event.output.outcome === 'unknownDestination',
        target: 'choosingMethod',
        actions: [
          'forgetPricing',
          'forgetDestination',
          assign({ fixedByShortcut: false }),
          notice('destination.gone'),
          'takeRefreshedFacts',
        ],
      },
      {
        guard: ({ event }) =>
          ['insufficientFunds', 'outsideLimits', 'noEmailCap'].includes(event.output.outcome),
        target: 'choosingAmount',
        actions: [
          'forgetPricing',
          assign({ notice: ({ event }) => commitRefusal(event.output) }),
          'takeRefreshedFacts',
        ],
      },
      {
        guard: ({ event }) => event.output.outcome === 'blocked',
        target: 'suspended',
      },
      {
        target: 'refused',
        actions: assign({ notice: ({ event }) => commitRefusal(event.output) }),
      },
    ],
    onError: { target: 'pricing', actions: [assign({ quote: null }), unavailable] },
  },
});
