import { assign, setup } from 'xstate';
import { checkAddress } from './address-check.ts';
import { readCashoutAmount } from './amount-input.ts';
import type {
  QuoteInput,
  QuoteResult,
  ResolveAccountInput,
  ResolveAccountResult,
  SendCashoutCodeInput,
  SendCashoutCodeResult,
  SubmitInput,
  SubmitResult,
  VerifyCodeInput,
  VerifyCodeResult,
} from './cashout-actors.ts';
import {
  limitsOf,
  savedDestination,
  savedForChoice,
  takenLabels,
  textOf,
  type CashoutContext,
  type CashoutEvent,
} from './cashout-context.ts';
import {
  findSaved,
  type CashoutFacts,
  type CashoutInput,
  type Destination,
} from './cashout-facts.ts';
import { cashoutGuards } from './cashout-guards.ts';
import { readAccountNumber, readLabel } from './cashout-input.ts';
import { addressNotice, allRefusal, amountNotice } from './cashout-notices.ts';
import { providedByHost, type Notice } from './flow.ts';

/**
 * The cashout machine's vocabulary: its types, I/O actors, guards, actions and delays. The
 * states are written against it in cashout.ts and cashout-pricing.ts.
 */
export const cashoutSetup = setup({
  types: {
    input: {} as CashoutInput,
    context: {} as CashoutContext,
    events: {} as CashoutEvent,
  },
  actors: {
    resolveAccount: providedByHost<ResolveAccountResult, ResolveAccountInput>('resolveAccount'),
    quote: providedByHost<QuoteResult, QuoteInput>('quote'),
    sendCode: providedByHost<SendCashoutCodeResult, SendCashoutCodeInput>('sendCode'),
    verifyCode: providedByHost<VerifyCodeResult, VerifyCodeInput>('verifyCode'),
    submit: providedByHost<SubmitResult, SubmitInput>('submit'),
  },
  guards: cashoutGuards,
  actions: {
    clearNotice: assign({ notice: null }),
    showNotice: assign({ notice: (_, params: Notice) => params }),
    forgetFacts: assign({
      facts: null,
      destination: null,
      accountNumber: null,
      saveAs: null,
      verificationId: null,
    }),
    takeAll: assign({ amount: ({ context }) => limitsOf(context).withdrawableUsd, notice: null }),
    noteAllRefused: assign({ notice: ({ context }) => allRefusal(context) }),
    rememberAmount: assign({
      amount: ({ context, event }) => {
        const reading = readCashoutAmount(textOf(event), limitsOf(context));
        return reading.ok ? reading.amount : null;
      },
      notice: null,
    }),
    noteAmountProblem: assign({
      notice: ({ context, event }) => {
        // Six typed digits reach us as a code digest; as dollars they exceed any maximum.
        if (event.type === 'code.entered') return amountNotice('aboveMaximum', limitsOf(context));
        const reading = readCashoutAmount(textOf(event), limitsOf(context));
        return reading.ok ? null : amountNotice(reading.reason, limitsOf(context));
      },
    }),
    takeAgainDestination: assign(({ context }) => {
      const { shortcut, facts } = context;
      const found =
        shortcut?.kind === 'again' && facts ? findSaved(facts, shortcut.destinationId) : null;
      if (!found) return {};
      return {
        method: found.method,
        asset: found.method === 'crypto' ? found.asset : null,
        bankCode: found.method === 'bank' ? found.bankCode : null,
        destination: savedDestination(found.saved),
        fixedByShortcut: true,
      };
    }),
    chooseMethod: assign({
      method: ({ event }) => (event.type === 'method.choose' ? event.method : null),
      asset: null,
      bankCode: null,
      notice: null,
    }),
    chooseAsset: assign({
      asset: ({ event }) => (event.type === 'asset.choose' ? event.asset : null),
      notice: null,
    }),
    chooseBank: assign({
      bankCode: ({ event }) => (event.type === 'bank.choose' ? event.bankCode : null),
      notice: null,
    }),
    chooseSaved: assign({
      destination: ({ context, event }) => {
        const id = event.type === 'destination.choose' ? event.destinationId : '';
        const saved = savedForChoice(context).find((candidate) => candidate.id === id);
        return saved ? savedDestination(saved) : null;
      },
      saveAs: null,
      notice: null,
    }),
    rememberAddress: assign({
      destination: ({ context, event }): Destination | null => {
        const check = checkAddress(context.asset ?? 'BTC', textOf(event));
        return check.ok ? { kind: 'address', address: check.address } : null;
      },
      notice: null,
    }),
    noteAddressProblem: assign({
      notice: ({ context, event }) => {
        if (event.type === 'code.entered') return { code: 'address.invalid' };
        const check = checkAddress(context.asset ?? 'BTC', textOf(event));
        return check.ok ? null : addressNotice(check);
      },
    }),
    rememberAccountNumber: assign({
      accountNumber: ({ event }) => {
        const reading = readAccountNumber(textOf(event));
        return reading.ok ? reading.value : null;
      },
      notice: null,
    }),
    noteAccountProblem: assign({
      notice: ({ event }): Notice | null => {
        if (event.type === 'code.entered') return { code: 'account.length', values: { digits: 6 } };
        const reading = readAccountNumber(textOf(event));
        return reading.ok ? null : reading.notice;
      },
    }),
    forgetDestination: assign({ destination: null, accountNumber: null, saveAs: null }),
    rememberLabel: assign({
      saveAs: ({ context, event }) => {
        const reading = readLabel(textOf(event), takenLabels(context));
        return reading.ok ? reading.value : null;
      },
      notice: null,
    }),
    noteLabelProblem: assign({
      notice: ({ context, event }) => {
        if (event.type === 'code.entered') return { code: 'label.looksLikeCode' };
        const reading = readLabel(textOf(event), takenLabels(context));
        return reading.ok ? null : reading.notice;
      },
    }),
    forgetPricing: assign({ quote: null, verificationId: null, codeVerified: false }),
    // After a refused commit: the facts the host loaded again, when it sent them.
    takeRefreshedFacts: assign({
      facts: ({ context, event }) => {
        const output = (event as { output?: { refreshed?: CashoutFacts } }).output;
        return output?.refreshed ?? context.facts;
      },
    }),
  },
  delays: {
    inactivity: ({ context }) => context.settings.inactivityMs,
    rateLock: ({ context }) => context.settings.rateLockMs,
  },
});

export const unavailable = { type: 'showNotice', params: { code: 'service.unavailable' } } as const;

/** The `showNotice` action with a notice that has no values. */
export const notice = (code: string) => ({ type: 'showNotice', params: { code } }) as const;
