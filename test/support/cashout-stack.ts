import assert from 'node:assert/strict';
import { createLedger } from '../../activities/ledger/index.ts';
import { codeDigest } from '../../activities/otp.ts';
import type { Delivery } from '../../bot/conversations.ts';
import {
  conversationId,
  machineStateQuery,
  screenQuery,
  type MachineState,
  type StepRequest,
  type StepResult,
  type UserEvent,
} from '../../workflows/contract.ts';
import { aParty } from './builders.ts';
import { deposit } from './ledger.ts';
import type { Stack } from './stack.ts';

/** A valid mainnet bech32 address every cashout test may send to. */
export const BTC_ADDRESS = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';

/** From opening the cashout to a new BTC address typed for `amountUsd`, asked whether to save. */
export function toNewBtcAddress(amountUsd: string): Step[] {
  return [
    [{ type: 'flow.open', flow: 'cashout' }, 'choosingAmount'],
    [{ type: 'amount.custom' }, 'typingAmount'],
    [{ type: 'text.entered', text: amountUsd }, 'choosingMethod'],
    [{ type: 'method.choose', method: 'crypto' }, 'choosingAsset'],
    [{ type: 'asset.choose', asset: 'BTC' }, 'enteringDestination'],
    [{ type: 'text.entered', text: BTC_ADDRESS }, 'choosingSave'],
  ];
}

/**
 * BTC at $95,000, ETH $3,500, LTC $90, USDT $1, ₦1,500 per USD, fetched now, and the bank
 * rail's list of banks: what the rates schedule would leave. `source` names who wrote them.
 */
export async function seedRatesAndBanks(
  { db, rails }: Pick<Stack, 'db' | 'rails'>,
  source = 'test',
): Promise<void> {
  await db.query(
    `INSERT INTO rates (base, quote, rate, source, observed_at, fetched_at)
     SELECT base, quote, rate, $1, now(), now()
     FROM (VALUES ('BTC', 'USD', 95000), ('ETH', 'USD', 3500), ('LTC', 'USD', 90),
       ('USDT', 'USD', 1), ('USD', 'NGN', 1500)) AS r (base, quote, rate)
     ON CONFLICT (base, quote) DO UPDATE SET rate = EXCLUDED.rate, fetched_at = now()`,
    [source],
  );
  const banks = await rails.bank.banks();
  await db.query(
    `INSERT INTO banks (code, name, provider)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, refreshed_at = now()`,
    [banks.map((b) => b.code), banks.map((b) => b.name), banks.map(() => rails.bank.provider)],
  );
}

/**
 * What cashout tests need around a stack: fresh rates and banks, onboarded users with money,
 * and a way to talk to their chat. Ids start high so they do not meet other suites' users.
 */
export function cashoutHelpers(stack: Stack, firstTelegramId = 7_000_000) {
  let telegramIds = firstTelegramId;
  let updateIds = firstTelegramId * 10;
  const ledger = createLedger({ db: stack.db });

  return {
    ledger,

    /** Rates fetched now and the banks listed (`seedRatesAndBanks`). */
    freshRates: () => seedRatesAndBanks(stack),

    /** An admin by role, as the review buttons require; the configured id alone is not enough. */
    async anAdmin(telegramId: number): Promise<void> {
      await stack.db.query(
        `INSERT INTO users (telegram_id, first_name, referral_code, role, onboarded_at)
         VALUES ($1, 'Root', $2, 'admin', now()) ON CONFLICT DO NOTHING`,
        [telegramId, `ADMIN${telegramId}`],
      );
    },

    /** An onboarded user holding `funded` USD, with a verified e-mail when `email` is given. */
    async aUser(funded: string, email: string | null = null) {
      telegramIds += 1;
      const telegramId = telegramIds;
      const [user] = await stack.db.query(
        `INSERT INTO users (telegram_id, first_name, referral_code, onboarded_at, email, email_verified_at)
         VALUES ($1, 'Ada', $2, now(), $3, CASE WHEN $3::text IS NULL THEN NULL ELSE now() END)
         RETURNING id`,
        [telegramId, `C${telegramId}`, email],
      );
      const accounts = await ledger.ensureUserAccounts(user.id, ['USD', 'NGN']);
      if (funded !== '0') await deposit(ledger, accounts.USD!.available, 'USD', funded);
      return { telegramId, userId: user.id as string, accounts };
    },

    /** Sends one user event to the chat `chat` as its owner (or as `from`). */
    async say(chat: number, event: UserEvent, extra: Partial<StepRequest> = {}): Promise<Delivery> {
      updateIds += 1;
      const party = aParty({ chatId: chat, telegramUserId: extra.from ?? chat, firstName: 'Ada' });
      return stack.conversations.deliver(party, {
        updateId: updateIds,
        from: chat,
        event,
        ...extra,
      });
    },

    screenOf(delivery: Delivery): StepResult {
      assert.equal(delivery.kind, 'screen', JSON.stringify(delivery));
      return (delivery as Extract<Delivery, { kind: 'screen' }>).result;
    },

    /** The digest of the code last e-mailed to `email`, as the bot would make it for `chat`. */
    codeFor(chat: number, email: string): string {
      const code = /(\d{6})/.exec(stack.mailer.latestTo(email)?.subject ?? '')?.[1] ?? '';
      assert.match(code, /^\d{6}$/, `no code was e-mailed to ${email}`);
      return codeDigest(stack.config.otp.secret, chat, code);
    },

    machineState(chat: number): Promise<MachineState | null> {
      return stack.client.workflow.getHandle(conversationId(chat)).query(machineStateQuery);
    },

    async currentScreen(chat: number): Promise<StepResult | null> {
      return stack.client.workflow.getHandle(conversationId(chat)).query(screenQuery);
    },

    /**
     * Says each event in turn and checks the state it leads to; answers the last screen.
     * `steps` pairs an event with the state expected after it.
     */
    async walk(chat: number, steps: Step[], extra: Partial<StepRequest> = {}): Promise<StepResult> {
      let last: StepResult | undefined;
      for (const [event, expected] of steps) {
        last = this.screenOf(await this.say(chat, event, extra));
        assert.equal(last.screen.state, expected, `after ${event.type}: ${JSON.stringify(last)}`);
      }
      assert.ok(last, 'walk needs at least one step');
      return last;
    },

    /** A saved BTC address of the user, as an earlier cashout would have left it. */
    async savedAddress(userId: string, label: string, address: string): Promise<string> {
      const [row] = await stack.db.query(
        `INSERT INTO saved_destinations (user_id, method, asset, address, label, last_used_at)
         VALUES ($1, 'crypto', 'BTC', $2, $3, now()) RETURNING id::text AS id`,
        [userId, address, label],
      );
      return row.id as string;
    },

    /** The user's USD buckets, read straight from `ledger_accounts`. */
    async balancesOf(userId: string): Promise<{ available: string; held: string }> {
      const rows: Array<{ bucket: 'available' | 'held'; balance: string }> = await stack.db.query(
        `SELECT bucket, trim_scale(balance)::text AS balance FROM ledger_accounts
         WHERE owner_user_id = $1 AND currency = 'USD' AND bucket IN ('available', 'held')`,
        [userId],
      );
      const of = (bucket: string) => rows.find((row) => row.bucket === bucket)?.balance ?? '0';
      return { available: of('available'), held: of('held') };
    },

    /** Statuses of the holds on the user's accounts, oldest first. */
    async holdsOf(userId: string): Promise<string[]> {
      const rows: Array<{ status: string }> = await stack.db.query(
        `SELECT h.status FROM ledger_holds h JOIN ledger_accounts a ON a.id = h.available_account_id
         WHERE a.owner_user_id = $1 ORDER BY h.id`,
        [userId],
      );
      return rows.map((row) => row.status);
    },

    /** The user's cashouts, oldest first. */
    cashoutsOf(userId: string): Promise<Array<Record<string, string | null>>> {
      return stack.db.query(
        `SELECT id, status, failure_reason, method, payout_currency,
           trim_scale(amount_usd)::text AS amount_usd, trim_scale(payout_amount)::text AS payout_amount,
           account_number, account_name, destination_id::text AS destination_id,
           verification_id::text AS verification_id
         FROM cashouts WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
    },

    /** What the worker sent to `chat` outside its conversation, oldest first. */
    messagesTo(chat: number): string[] {
      return stack.sent.filter((message) => message.chat_id === chat).map((sent) => sent.text);
    },

    /**
     * Every statement the worker's DataSource sends while `work` runs, from any activity
     * (`QueryCounter.count` sees only its own async scope). Exact only while nothing else
     * runs on the stack.
     */
    async statementsDuring<T>(work: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
      const sql: string[] = [];
      const counter = stack.queries;
      const logQuery = counter.logQuery;
      counter.logQuery = (query, ...rest) => {
        sql.push(query.replace(/\s+/g, ' ').trim());
        logQuery.call(counter, query, ...rest);
      };
      try {
        return { result: await work(), sql };
      } finally {
        counter.logQuery = logQuery;
      }
    },
  };
}

/** A user event and the state the conversation should be in after it. */
export type Step = [UserEvent, string];

/** Polls `probe` until it answers something other than undefined. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
