import { and, assign, not } from 'xstate';
import { nothingToWithdraw } from './cashout-notices.ts';
import { pricingState, submittingState } from './cashout-pricing.ts';
import { cashoutSetup, notice, unavailable } from './cashout-setup.ts';
import type { Destination } from './cashout-facts.ts';

export type { CashoutContext, CashoutEvent } from './cashout-context.ts';
export { screenOfCashout, type CashoutScreen } from './cashout-screen.ts';

/**
 * Cashout: amount, method, asset or bank, destination, save or use once, a quote whose rate
 * holds `rateLockMs`, confirm, an e-mail code when the user has a verified e-mail, then the
 * commit. Every waiting step takes Back and Cancel. The facts were prefetched; the actors are
 * the only I/O, and the commit re-checks in SQL everything decided here.
 */
export const cashoutMachine = cashoutSetup.createMachine({
  id: 'cashout',
  context: ({ input }) => ({
    party: input.party,
    settings: input.settings,
    // Only the kind and a saved destination's id are kept: a shortcut never carries an amount.
    shortcut:
      input.shortcut?.kind === 'again'
        ? { kind: 'again', destinationId: input.shortcut.destinationId }
        : input.shortcut?.kind === 'all'
          ? { kind: 'all' }
          : null,
    facts: input.facts,
    amount: null,
    method: null,
    asset: null,
    bankCode: null,
    destination: null,
    accountNumber: null,
    saveAs: null,
    fixedByShortcut: false,
    quote: null,
    verificationId: null,
    codeVerified: false,
    submitted: null,
    notice: null,
  }),
  initial: 'routing',
  on: {
    'flow.cancel': { target: '.cancelled' },
    'facts.refreshed': { actions: assign({ facts: ({ event }) => event.facts }) },
  },
  states: {
    routing: {
      always: [
        { guard: 'isBlocked', target: 'suspended' },
        { guard: 'isNotOnboarded', target: 'needsOnboarding' },
        {
          guard: 'hasActiveCashout',
          target: 'refused',
          actions: assign({
            notice: ({ context }) => ({
              code: 'cashout.alreadyActive',
              values: { cashoutId: context.facts?.activeCashoutId ?? '' },
            }),
          }),
        },
        { guard: 'ratesAreStale', target: 'refused', actions: notice('rates.stale') },
        {
          guard: 'hasNothingToWithdraw',
          target: 'refused',
          actions: assign({ notice: ({ context }) => nothingToWithdraw(context) }),
        },
        { guard: and(['wantsAll', 'allFits']), target: 'routingAfterAmount', actions: 'takeAll' },
        { guard: 'wantsAll', target: 'choosingAmount', actions: 'noteAllRefused' },
        {
          guard: 'knowsAgainDestination',
          target: 'choosingAmount',
          actions: 'takeAgainDestination',
        },
        { guard: 'wantsAgain', target: 'choosingAmount', actions: notice('destination.gone') },
        { target: 'choosingAmount' },
      ],
    },

    choosingAmount: {
      after: { inactivity: 'timedOut' },
      on: {
        'amount.all': [
          { guard: 'allFits', target: 'routingAfterAmount', actions: 'takeAll' },
          { target: 'choosingAmount', reenter: true, actions: 'noteAllRefused' },
        ],
        'amount.custom': { target: 'typingAmount', actions: 'clearNotice' },
        'step.back': [
          {
            guard: and(['hasDestination', not('isFixedByShortcut')]),
            target: 'routingBackFromQuote',
            actions: 'clearNotice',
          },
          { target: 'cancelled' },
        ],
      },
    },

    typingAmount: {
      after: { inactivity: 'timedOut' },
      on: {
        'text.entered': [
          { guard: 'isAcceptableAmount', target: 'routingAfterAmount', actions: 'rememberAmount' },
          { target: 'typingAmount', reenter: true, actions: 'noteAmountProblem' },
        ],
        'code.entered': { target: 'typingAmount', reenter: true, actions: 'noteAmountProblem' },
        'step.back': { target: 'choosingAmount', actions: 'clearNotice' },
      },
    },

    routingAfterAmount: {
      always: [{ guard: 'hasDestination', target: 'pricing' }, { target: 'choosingMethod' }],
    },

    choosingMethod: {
      after: { inactivity: 'timedOut' },
      on: {
        'method.choose': [
          { guard: 'choosesCrypto', target: 'choosingAsset', actions: 'chooseMethod' },
          { guard: 'choosesBank', target: 'choosingBank', actions: 'chooseMethod' },
        ],
        'step.back': { target: 'choosingAmount', actions: 'clearNotice' },
      },
    },

    choosingAsset: {
      after: { inactivity: 'timedOut' },
      on: {
        'asset.choose': [
          { guard: 'isPayoutAsset', target: 'routingToDestination', actions: 'chooseAsset' },
          { target: 'choosingAsset', reenter: true, actions: notice('asset.unknown') },
        ],
        'step.back': { target: 'choosingMethod', actions: 'clearNotice' },
      },
    },

    choosingBank: {
      after: { inactivity: 'timedOut' },
      on: {
        'bank.choose': [
          { guard: 'isKnownBank', target: 'routingToDestination', actions: 'chooseBank' },
          { target: 'choosingBank', reenter: true, actions: notice('bank.unknown') },
        ],
        'step.back': { target: 'choosingMethod', actions: 'clearNotice' },
      },
    },

    routingToDestination: {
      always: [
        { guard: 'hasSavedForChoice', target: 'choosingDestination' },
        { target: 'enteringDestination' },
      ],
    },

    choosingDestination: {
      after: { inactivity: 'timedOut' },
      on: {
        'destination.choose': [
          { guard: 'isSavedForChoice', target: 'pricing', actions: 'chooseSaved' },
          {
            target: 'choosingDestination',
            reenter: true,
            actions: notice('destination.unknown'),
          },
        ],
        'destination.new': { target: 'enteringDestination', actions: 'clearNotice' },
        'step.back': 'routingBackToChoice',
      },
    },

    enteringDestination: {
      after: { inactivity: 'timedOut' },
      on: {
        'text.entered': [
          { guard: 'isAcceptableAddress', target: 'choosingSave', actions: 'rememberAddress' },
          {
            guard: 'isCrypto',
            target: 'enteringDestination',
            reenter: true,
            actions: 'noteAddressProblem',
          },
          {
            guard: 'isAccountNumber',
            target: 'resolvingAccount',
            actions: 'rememberAccountNumber',
          },
          { target: 'enteringDestination', reenter: true, actions: 'noteAccountProblem' },
        ],
        'code.entered': [
          {
            guard: 'isCrypto',
            target: 'enteringDestination',
            reenter: true,
            actions: 'noteAddressProblem',
          },
          { target: 'enteringDestination', reenter: true, actions: 'noteAccountProblem' },
        ],
        'step.back': [
          { guard: 'hasSavedForChoice', target: 'choosingDestination', actions: 'clearNotice' },
          { target: 'routingBackToChoice' },
        ],
      },
    },

    routingBackToChoice: {
      always: [
        { guard: 'isCrypto', target: 'choosingAsset', actions: 'clearNotice' },
        { target: 'choosingBank', actions: 'clearNotice' },
      ],
    },

    resolvingAccount: {
      invoke: {
        id: 'resolveAccount',
        src: 'resolveAccount',
        input: ({ context }) => ({
          bankCode: context.bankCode ?? '',
          accountNumber: context.accountNumber ?? '',
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.outcome === 'found',
            target: 'choosingSave',
            actions: assign({
              destination: ({ context, event }): Destination => ({
                kind: 'account',
                accountNumber: context.accountNumber ?? '',
                accountName: event.output.outcome === 'found' ? event.output.accountName : '',
              }),
              accountNumber: null,
            }),
          },
          {
            target: 'enteringDestination',
            actions: ['forgetDestination', notice('account.notFound')],
          },
        ],
        onError: { target: 'enteringDestination', actions: ['forgetDestination', unavailable] },
      },
    },

    choosingSave: {
      after: { inactivity: 'timedOut' },
      on: {
        'destination.save': { target: 'typingLabel', actions: 'clearNotice' },
        'destination.useOnce': {
          target: 'pricing',
          actions: assign({ saveAs: null, notice: null }),
        },
        'step.back': {
          target: 'enteringDestination',
          actions: ['clearNotice', 'forgetDestination'],
        },
      },
    },

    typingLabel: {
      after: { inactivity: 'timedOut' },
      on: {
        'text.entered': [
          { guard: 'isAcceptableLabel', target: 'pricing', actions: 'rememberLabel' },
          { target: 'typingLabel', reenter: true, actions: 'noteLabelProblem' },
        ],
        'code.entered': { target: 'typingLabel', reenter: true, actions: 'noteLabelProblem' },
        'step.back': { target: 'choosingSave', actions: assign({ saveAs: null, notice: null }) },
      },
    },

    pricing: pricingState,

    routingBackFromQuote: {
      always: [
        { guard: 'isFixedByShortcut', target: 'choosingAmount' },
        { guard: 'isNewDestination', target: 'choosingSave', actions: assign({ saveAs: null }) },
        { target: 'choosingDestination', actions: 'forgetDestination' },
      ],
    },

    submitting: submittingState,

    done: { type: 'final', entry: 'forgetFacts' },
    refused: { type: 'final', entry: 'forgetFacts' },
    suspended: { type: 'final', entry: 'forgetFacts' },
    needsOnboarding: { type: 'final', entry: 'forgetFacts' },
    cancelled: { type: 'final', entry: 'forgetFacts' },
    timedOut: { type: 'final', entry: 'forgetFacts' },
  },
});
