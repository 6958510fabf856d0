import assert from 'node:assert/strict';
import { createLedger } from '../../activities/ledger/index.ts';
import { codeDigest } from '../../activities/otp.ts';
import type { Delivery } from '../../bot/conversations.ts';
import {
  conversationId,
  machineStateQuery,
  type MachineState,
  type StepRequest,
  type StepResult,
  type UserEvent,
} from '../../workflows/contract.ts';
import { aParty } from './builders.ts';
import { deposit } from './ledger.ts';
import type { Stack } from './stack.ts';

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

    /** BTC at $95,000, ETH $3,500, LTC $90, USDT $1, ₦1,500 per USD, fetched now; banks listed. */
    async freshRates(): Promise<void> {
      await stack.db.query(
        `INSERT INTO rates (base, quote, rate, source, observed_at, fetched_at)
         VALUES ('BTC', 'USD', 95000, 'test', now(), now()), ('ETH', 'USD', 3500, 'test', now(), now()),
           ('LTC', 'USD', 90, 'test', now(), now()), ('USDT', 'USD', 1, 'test', now(), now()),
           ('USD', 'NGN', 1500, 'test', now(), now())
         ON CONFLICT (base, quote) DO UPDATE SET rate = EXCLUDED.rate, fetched_at = now()`,
      );
      const banks = await stack.rails.bank.banks();
      await stack.db.query(
        `INSERT INTO banks (code, name, provider)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (code) DO NOTHING`,
        [
          banks.map((b) => b.code),
          banks.map((b) => b.name),
          banks.map(() => stack.rails.bank.provider),
        ],
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
  };
}
