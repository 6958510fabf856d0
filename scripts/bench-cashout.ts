/**
 * The cashout's simulated users for `npm run bench -- --flow cashout`. Before the run each is
 * onboarded with a verified e-mail and $100, beside fresh rates and the sandbox's banks. Each
 * then cashes $40 out to a new BTC address: a mistyped amount and address first, the address
 * saved under a label, the quote, confirm, the e-mailed code and the commit. Every payout is
 * scripted to succeed, and the run waits for each `payout-<id>` workflow to end.
 */
import { createLedger } from '../activities/ledger/index.ts';
import { codeDigest } from '../activities/otp.ts';
import { BTC_ADDRESS, seedRatesAndBanks } from '../test/support/cashout-stack.ts';
import { deposit } from '../test/support/ledger.ts';
import { payoutWorkflowId, type StepResult, type UserEvent } from '../workflows/contract.ts';
import {
  mostOf,
  percentile,
  type BenchStack,
  type FlowBench,
  type Sample,
  type StepKind,
} from './bench-flow.ts';

/**
 * A payout polls only when its webhook is lost; the bench's webhooks arrive in this process,
 * so a short poll just keeps a lost one from stalling the run. The environment still wins.
 */
export const cashoutEnv = { PAYOUT_POLL_INITIAL_SECONDS: '1', PAYOUT_POLL_MAX_SECONDS: '2' };

interface PayoutEnd {
  cashoutId: string;
  state: string;
  /** From the commit's answer to the end of the payout run. */
  ms: number;
}

/** `padding` back-and-forth pairs go between saving the address and typing its label. */
export function cashoutBench(stack: BenchStack, padding: number): FlowBench {
  const payouts: Promise<PayoutEnd>[] = [];

  return {
    flow: 'cashout',

    async prepare(chats) {
      await seedRatesAndBanks(stack, 'bench');
      await fundedUsers(stack, chats, '100');
      stack.rails.payouts.script(...chats.map(() => 'succeeded' as const));
    },

    async converse(chat, step) {
      const expect = async (kind: StepKind, event: UserEvent, state: string) => {
        const result = await step(kind, event);
        if (result.screen.state === state) return result;
        const seen = `${result.screen.state} (${JSON.stringify(result.screen.notice)})`;
        throw new Error(`chat ${chat}: ${event.type} reached ${seen}, expected ${state}`);
      };

      await expect('prefetch', { type: 'flow.open', flow: 'cashout' }, 'choosingAmount');
      await expect('move', { type: 'amount.custom' }, 'typingAmount');
      await expect('move', { type: 'text.entered', text: 'forty' }, 'typingAmount');
      await expect('move', { type: 'text.entered', text: '40' }, 'choosingMethod');
      await expect('move', { type: 'method.choose', method: 'crypto' }, 'choosingAsset');
      await expect('move', { type: 'asset.choose', asset: 'BTC' }, 'enteringDestination');
      await expect(
        'move',
        { type: 'text.entered', text: 'bc1-not-an-address' },
        'enteringDestination',
      );
      await expect('move', { type: 'text.entered', text: BTC_ADDRESS }, 'choosingSave');
      await expect('move', { type: 'destination.save' }, 'typingLabel');
      for (let i = 0; i < padding; i += 1) {
        await expect('move', { type: 'step.back' }, 'choosingSave');
        await expect('move', { type: 'destination.save' }, 'typingLabel');
      }
      await expect(
        'quote',
        { type: 'text.entered', text: 'Cold wallet' },
        'pricing.quoted.reviewing',
      );
      await expect('sendCode', { type: 'cashout.confirm' }, 'pricing.quoted.awaitingCode');
      const digest = codeFor(stack, chat);
      const done = await expect('commit', { type: 'code.entered', digest }, 'done');
      payouts.push(payoutEnd(stack, done));
    },

    async finish(report, samples) {
      const ended = await Promise.all(payouts);
      const unpaid = ended.filter((payout) => payout.state !== 'succeeded');
      if (unpaid.length > 0) {
        const list = unpaid.map((payout) => `${payout.cashoutId}: ${payout.state}`).join(', ');
        throw new Error(`${unpaid.length} payouts did not succeed: ${list}`);
      }

      const ms = ended.map((payout) => payout.ms);
      return {
        ...report,
        latencyMs: { ...report.latencyMs, ...splitAtCommit(samples) },
        sql: {
          ...report.sql,
          perQuote: mostOf(samples, 'quote', 'statements'),
          perCodeSent: mostOf(samples, 'sendCode', 'statements'),
          transactionsPerCommit: mostOf(samples, 'commit', 'transactions'),
        },
        payouts: { succeeded: ended.length, p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99) },
      };
    },
  };
}

/** The targets are on the steps that do not commit; the commit is measured on its own. */
function splitAtCommit(samples: Sample[]) {
  const spread = (kept: Sample[]) => {
    const ms = kept.map((sample) => sample.ms);
    return { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99) };
  };
  const kinds: StepKind[] = ['prefetch', 'move', 'quote', 'sendCode', 'commit'];
  return {
    nonCommit: spread(samples.filter((sample) => sample.kind !== 'commit')),
    commit: spread(samples.filter((sample) => sample.kind === 'commit')),
    byKind: Object.fromEntries(
      kinds.map((kind) => [kind, spread(samples.filter((sample) => sample.kind === kind))]),
    ),
  };
}

/** Waits for the payout the commit started; a run that fails is reported, not thrown. */
async function payoutEnd(stack: BenchStack, done: StepResult): Promise<PayoutEnd> {
  const cashoutId = String(done.screen.data.cashoutId);
  const t0 = performance.now();
  const state = await stack.client.workflow
    .getHandle(payoutWorkflowId(cashoutId))
    .result()
    .then(String)
    .catch((error: unknown) => `failed: ${error instanceof Error ? error.message : error}`);
  return { cashoutId, state, ms: performance.now() - t0 };
}

function codeFor(stack: BenchStack, chat: number): string {
  const email = emailOf(chat);
  const code = /(\d{6})/.exec(stack.mailer.latestTo(email)?.subject ?? '')?.[1];
  if (!code) throw new Error(`no code was e-mailed to ${email}`);
  return codeDigest(stack.config.otp.secret, chat, code);
}

const emailOf = (chat: number) => `bench${chat}@example.com`;

/** Onboarded users with a verified e-mail, each credited `usd` by a deposit on the ledger. */
async function fundedUsers({ db }: BenchStack, chats: number[], usd: string): Promise<void> {
  const ledger = createLedger({ db });
  const users: Array<{ id: string }> = await db.query(
    `INSERT INTO users (telegram_id, first_name, referral_code, onboarded_at, email, email_verified_at)
     SELECT t, 'Bench' || t, 'B' || t, now(), 'bench' || t || '@example.com', now()
     FROM unnest($1::bigint[]) AS t
     RETURNING id`,
    [chats],
  );

  for (const user of users) {
    const accounts = await ledger.ensureUserAccounts(user.id, ['USD', 'NGN']);
    await deposit(ledger, accounts.USD!.available, 'USD', usd, 'bench');
  }
}
