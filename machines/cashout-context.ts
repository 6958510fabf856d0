import type { AmountLimits } from './amount-input.ts';
import type {
  PricedQuote,
  QuoteInput,
  QuotePayout,
  QuoteResult,
  SubmitInput,
} from './cashout-actors.ts';
import {
  savedFor,
  type CashoutFacts,
  type CashoutSettings,
  type CashoutShortcut,
  type Destination,
  type PayoutMethod,
  type SavedAddress,
  type SavedBankAccount,
} from './cashout-facts.ts';
import { priceQuote } from './cashout-quote.ts';
import type {
  ChatParty,
  CodeEntered,
  FlowCancelled,
  Notice,
  StepBack,
  TextEntered,
} from './flow.ts';
import type { Amount, CryptoAsset } from './money.ts';

export type CashoutEvent =
  | FlowCancelled
  | TextEntered
  | CodeEntered
  | StepBack
  | { type: 'amount.all' }
  | { type: 'amount.custom' }
  | { type: 'method.choose'; method: PayoutMethod }
  | { type: 'asset.choose'; asset: CryptoAsset }
  | { type: 'bank.choose'; bankCode: string }
  | { type: 'destination.choose'; destinationId: string }
  | { type: 'destination.new' }
  | { type: 'destination.save' }
  | { type: 'destination.useOnce' }
  | { type: 'cashout.confirm' }
  | { type: 'code.resend' }
  /** Sent by the host after a `contextChanged` signal (a deposit landed meanwhile). */
  | { type: 'facts.refreshed'; facts: CashoutFacts };

export interface CashoutContext {
  party: ChatParty;
  settings: CashoutSettings;
  shortcut: CashoutShortcut | null;
  /** Prefetched facts; null once the flow ends. */
  facts: CashoutFacts | null;
  amount: Amount | null;
  method: PayoutMethod | null;
  asset: CryptoAsset | null;
  bankCode: string | null;
  destination: Destination | null;
  /** A typed account number while the bank resolves its holder's name. */
  accountNumber: string | null;
  saveAs: string | null;
  /** A *… again* shortcut chose method and destination: Back from the quote goes to the amount. */
  fixedByShortcut: boolean;
  quote: PricedQuote | null;
  verificationId: string | null;
  codeVerified: boolean;
  submitted: { cashoutId: string; awaitingReview: boolean } | null;
  notice: Notice | null;
}

/** The amount bounds of this user now: the e-mail cap applies without a verified e-mail. */
export function limitsOf(context: CashoutContext): AmountLimits {
  const { settings, facts } = context;
  return {
    minUsd: settings.minUsd,
    maxUsd: settings.maxUsd,
    noEmailCapUsd: facts?.user.verifiedEmail ? null : settings.noEmailCapUsd,
    withdrawableUsd: facts?.balances.withdrawable ?? '0',
  };
}

/** The rail chosen. Asked for once method and asset or bank are known; before, it is a bug. */
export function payoutOf(context: CashoutContext): QuotePayout {
  const { method, asset, bankCode } = context;
  if (method === 'crypto' && asset) return { method, asset };
  if (method === 'bank' && bankCode) return { method, bankCode };
  throw new Error(`cashout has no payout rail yet (method ${method}): a machine bug`);
}

/** What the quote actor is asked: the amount on the chosen rail, locked for `rateLockMs`. */
export function quoteInputOf(context: CashoutContext): QuoteInput {
  if (!context.amount)
    throw new Error('cashout asked for a quote without an amount: a machine bug');
  return {
    telegramUserId: context.party.telegramUserId,
    amountUsd: context.amount,
    payout: payoutOf(context),
    lockMs: context.settings.rateLockMs,
  };
}

/** The quote as the user will see it, or null when the provider refused or nothing arrives. */
export function priced(context: CashoutContext, result: QuoteResult): PricedQuote | null {
  if (result.outcome !== 'quoted') return null;
  return priceQuote(quoteInputOf(context).amountUsd, payoutOf(context), result, context.settings);
}

/** Saved destinations for the chosen asset or bank, last used first. */
export function savedForChoice(context: CashoutContext): Array<SavedAddress | SavedBankAccount> {
  if (!context.facts || !context.method) return [];
  const choice = context.method === 'crypto' ? context.asset : context.bankCode;
  return choice === null ? [] : savedFor(context.facts, context.method, choice);
}

/** Labels already used for destinations of the chosen method. */
export function takenLabels(context: CashoutContext): string[] {
  if (!context.facts) return [];
  const saved = context.method === 'bank' ? context.facts.bankAccounts : context.facts.addresses;
  return saved.map((destination) => destination.label);
}

export function savedDestination(saved: SavedAddress | SavedBankAccount): Destination {
  const { id, label, masked } = saved;
  return 'accountName' in saved
    ? { kind: 'saved', id, label, masked, accountName: saved.accountName }
    : { kind: 'saved', id, label, masked };
}

/** Typed text of an event, or '' for any other event. */
export function textOf(event: CashoutEvent): string {
  return event.type === 'text.entered' ? event.text : '';
}

/**
 * The commit's input. Only reachable from a confirmed quote, which the path tests prove; a
 * missing quote or destination here is a bug, so it fails loudly instead of paying nothing.
 */
export function submitInputOf(context: CashoutContext): SubmitInput {
  const { quote, destination } = context;
  if (!quote || !destination) {
    throw new Error(
      `cashout reached submitting without a ${quote ? 'destination' : 'quote'}: a machine bug`,
    );
  }
  return {
    telegramUserId: context.party.telegramUserId,
    quote,
    payout: payoutOf(context),
    destination,
    saveAs: context.saveAs,
    verificationId: context.codeVerified ? context.verificationId : null,
  };
}
