import { checkAddress } from './address-check.ts';
import { checkLimits, readCashoutAmount } from './amount-input.ts';
import {
  limitsOf,
  savedForChoice,
  takenLabels,
  textOf,
  type CashoutContext,
  type CashoutEvent,
} from './cashout-context.ts';
import { findSaved, ratesAreStale } from './cashout-facts.ts';
import { readAccountNumber, readLabel } from './cashout-input.ts';
import { cmp, cryptoAssets } from './money.ts';

interface Args {
  context: CashoutContext;
  event: CashoutEvent;
}

/** The cashout machine's named guards: pure questions about the context and the event. */
export const cashoutGuards = {
  isBlocked: ({ context }: Args) => context.facts?.user.blocked === true,
  isNotOnboarded: ({ context }: Args) => context.facts?.user.onboarded !== true,
  hasActiveCashout: ({ context }: Args) => Boolean(context.facts?.activeCashoutId),
  ratesAreStale: ({ context }: Args) =>
    !context.facts || ratesAreStale(context.facts, context.settings.rateMaxAgeMs),
  hasNothingToWithdraw: ({ context }: Args) => {
    const limits = limitsOf(context);
    return cmp(limits.withdrawableUsd, limits.minUsd) < 0;
  },
  wantsAll: ({ context }: Args) => context.shortcut?.kind === 'all',
  wantsAgain: ({ context }: Args) => context.shortcut?.kind === 'again',
  knowsAgainDestination: ({ context }: Args) =>
    context.shortcut?.kind === 'again' &&
    context.facts !== null &&
    findSaved(context.facts, context.shortcut.destinationId) !== null,
  allFits: ({ context }: Args) =>
    checkLimits(limitsOf(context).withdrawableUsd, limitsOf(context)).ok,
  isAcceptableAmount: ({ context, event }: Args) =>
    readCashoutAmount(textOf(event), limitsOf(context)).ok,
  hasDestination: ({ context }: Args) => context.destination !== null,
  isFixedByShortcut: ({ context }: Args) => context.fixedByShortcut,
  isNewDestination: ({ context }: Args) =>
    context.destination !== null && context.destination.kind !== 'saved',
  choosesCrypto: ({ event }: Args) => event.type === 'method.choose' && event.method === 'crypto',
  choosesBank: ({ event }: Args) => event.type === 'method.choose' && event.method === 'bank',
  isPayoutAsset: ({ event }: Args) =>
    event.type === 'asset.choose' && cryptoAssets.includes(event.asset),
  isKnownBank: ({ context, event }: Args) =>
    event.type === 'bank.choose' &&
    (context.facts?.banks.some((bank) => bank.code === event.bankCode) ?? false),
  hasSavedForChoice: ({ context }: Args) => savedForChoice(context).length > 0,
  isSavedForChoice: ({ context, event }: Args) =>
    event.type === 'destination.choose' &&
    savedForChoice(context).some((saved) => saved.id === event.destinationId),
  isCrypto: ({ context }: Args) => context.method === 'crypto',
  isAcceptableAddress: ({ context, event }: Args) =>
    context.method === 'crypto' &&
    context.asset !== null &&
    checkAddress(context.asset, textOf(event)).ok,
  isAccountNumber: ({ event }: Args) => readAccountNumber(textOf(event)).ok,
  isAcceptableLabel: ({ context, event }: Args) =>
    readLabel(textOf(event), takenLabels(context)).ok,
  needsNoCode: ({ context }: Args) => !context.facts?.user.verifiedEmail,
  isCodeVerified: ({ context }: Args) => context.codeVerified,
  isCodeSent: ({ context }: Args) => context.verificationId !== null,
};
