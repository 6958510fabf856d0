import type { StateValue } from 'xstate';
import { limitsOf, savedForChoice, type CashoutContext } from './cashout-context.ts';
import { needsReview } from './cashout-quote.ts';
import { stateName, type Screen } from './flow.ts';
import { cmp, cryptoAssets } from './money.ts';

/** A cashout screen. */
export type CashoutScreen = Screen & { flow: 'cashout' };

/** The screen of a cashout snapshot: what bot/views renders for each step. */
export function screenOfCashout(snapshot: {
  value: StateValue;
  context: CashoutContext;
}): CashoutScreen {
  const state = stateName(snapshot.value);
  const { context } = snapshot;
  return { flow: 'cashout', state, data: dataOf(state, context), notice: context.notice };
}

function dataOf(state: string, context: CashoutContext): Record<string, unknown> {
  const amountUsd = context.amount;
  switch (state) {
    case 'choosingAmount':
    case 'typingAmount':
      return { ...amountBounds(context), destination: destinationOf(context) };
    case 'choosingMethod':
      return { amountUsd };
    case 'choosingAsset':
      return { amountUsd, assets: cryptoAssets };
    case 'choosingBank':
      return { amountUsd, banks: context.facts?.banks ?? [] };
    case 'choosingDestination':
      return {
        amountUsd,
        ...choiceOf(context),
        saved: savedForChoice(context).map(({ id, label, masked }) => ({ id, label, masked })),
      };
    case 'enteringDestination':
      return choiceOf(context);
    case 'choosingSave':
    case 'typingLabel':
      return { destination: destinationOf(context) };
    case 'pricing.quoted.reviewing':
      return {
        quote: context.quote,
        destination: destinationOf(context),
        rateLockMinutes: Math.round(context.settings.rateLockMs / 60_000),
        needsCode: Boolean(context.facts?.user.verifiedEmail) && !context.codeVerified,
        needsReview: context.quote ? needsReview(context.quote.amountUsd, context.settings) : false,
      };
    case 'pricing.quoted.awaitingCode':
      return { email: maskEmail(context.facts?.user.verifiedEmail ?? '') };
    case 'done':
      return { ...context.submitted, quote: context.quote };
    default:
      return {};
  }
}

/** Withdrawable and the bounds a custom amount must keep, with the e-mail cap folded in. */
function amountBounds(context: CashoutContext) {
  const { minUsd, maxUsd, noEmailCapUsd, withdrawableUsd } = limitsOf(context);
  const capped = noEmailCapUsd !== null && cmp(noEmailCapUsd, maxUsd) < 0;
  return { withdrawableUsd, minUsd, maxUsd: capped ? noEmailCapUsd : maxUsd, capped };
}

function choiceOf(context: CashoutContext) {
  const bank = context.facts?.banks.find((candidate) => candidate.code === context.bankCode);
  return context.method === 'bank'
    ? { method: 'bank', bankCode: context.bankCode, bankName: bank?.name ?? null }
    : { method: 'crypto', asset: context.asset };
}

/** The chosen destination as shown: new ones in full so the user can check them, saved masked. */
function destinationOf(context: CashoutContext): Record<string, unknown> | null {
  return context.destination ? { ...choiceOf(context), ...context.destination } : null;
}

function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at < 1 ? '' : `${email.charAt(0)}***${email.slice(at)}`;
}
