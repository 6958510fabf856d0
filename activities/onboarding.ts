import type { DataSource, EntityManager } from 'typeorm';
import type { ChatParty } from '../machines/flow.ts';
import type {
  FinishInput,
  FinishResult,
  OnboardingFacts,
  SendCodeInput,
  SendCodeResult,
  VerifyCodeInput,
  VerifyCodeResult,
} from '../machines/onboarding.ts';
import { neg, type Currency } from '../machines/money.ts';
import type { Config } from './config.ts';
import { isUniqueViolation } from './db/errors.ts';
import type { Ledger } from './ledger/index.ts';
import type { Mailer } from './mail/mailer.ts';
import { codeDigest, newCode } from './otp.ts';
import { menuFactsJson, upsertMe, upsertParams } from './user-facts.ts';

export interface OnboardingDeps {
  db: DataSource;
  mailer: Mailer;
  admins: readonly number[];
  otp: Config['otp'];
  referralBonusUsd: string;
  ledger: Ledger;
}

const WALLET_CURRENCIES: Currency[] = ['USD', 'NGN'];

type Keyed<T> = T & { idempotencyKey: string };

/**
 * Onboarding's I/O. Each activity is one SQL statement (plus an e-mail for `sendEmailCode`)
 * and is safe to retry: keys make a repeated call land on the row of the first.
 */
export function createOnboardingActivities(deps: OnboardingDeps) {
  const { db, otp } = deps;

  return {
    /** The one-statement context load: upserts the user, returns menu facts and referrer. */
    async prefetchOnboardingContext(input: {
      party: ChatParty;
      referralCode: string | null;
    }): Promise<OnboardingFacts> {
      const [row] = await db.query(
        `WITH ${upsertMe}
         SELECT json_build_object(
           'menu', ${menuFactsJson('me')},
           'referrer', (
             SELECT json_build_object('firstName', r.first_name, 'username', r.username)
             FROM users r
             WHERE $6::text IS NOT NULL AND r.referral_code = $6
               AND r.telegram_id <> $1 AND NOT r.blocked
           )
         ) AS facts
         FROM me`,
        [...upsertParams(input.party, deps.admins), input.referralCode],
      );
      return row.facts as OnboardingFacts;
    },

    /** Issues a code for the address and e-mails it, unless a rule says no. */
    async sendEmailCode(input: Keyed<SendCodeInput>): Promise<SendCodeResult> {
      const code = newCode();
      const [row] = await db.query(SEND_CODE_SQL, [
        input.telegramUserId,
        input.email,
        codeDigest(otp.secret, input.telegramUserId, code),
        input.idempotencyKey,
        otp.ttlSeconds,
        otp.resendCooldownSeconds,
        otp.maxSendsPerHour,
      ]);
      if (row.outcome === 'emailTaken') return { outcome: 'emailTaken' };
      if (row.outcome === 'cooldown')
        return { outcome: 'cooldown', retryInSeconds: row.wait_seconds };
      if (row.outcome === 'hourlyLimit') {
        return { outcome: 'hourlyLimit', retryInMinutes: Math.ceil(row.wait_seconds / 60) };
      }

      if (!row.id)
        throw new Error(`no user with Telegram id ${input.telegramUserId} to send a code to`);

      const validMinutes = Math.round(otp.ttlSeconds / 60);
      await deps.mailer.send(
        input.purpose === 'cashout'
          ? {
              to: input.email,
              subject: `${code} confirms your LockBay cashout`,
              text:
                `Your code to confirm a cashout from your LockBay wallet is ${code}.\n\n` +
                `It is valid for ${validMinutes} minutes. If you did not start a cashout, do ` +
                `not share this code with anyone and contact LockBay support.`,
            }
          : {
              to: input.email,
              subject: `${code} is your LockBay code`,
              text:
                `Your LockBay verification code is ${code}.\n\n` +
                `It is valid for ${validMinutes} minutes. If you did not ask for it, ignore this e-mail.`,
            },
      );
      return { outcome: 'sent', verificationId: row.id, validMinutes };
    },

    /** Compares the typed code's digest with the stored one; counts a wrong try once per key. */
    async verifyEmailCode(input: Keyed<VerifyCodeInput>): Promise<VerifyCodeResult> {
      const [row] = await db.query(VERIFY_CODE_SQL, [
        input.verificationId,
        input.telegramUserId,
        input.digest,
        input.idempotencyKey,
        otp.maxAttempts,
      ]);
      if (!row) return { outcome: 'expired' };
      if (row.verified) return { outcome: 'verified' };
      if (row.attempts >= otp.maxAttempts) return { outcome: 'locked' };
      if (row.expired) return { outcome: 'expired' };
      return { outcome: 'wrong', triesLeft: otp.maxAttempts - row.attempts };
    },

    /**
     * Marks the user onboarded, keeps the verified e-mail, opens the USD and NGN ledger
     * accounts and pays a referral bonus: one transaction, repeatable (the bonus transfer has
     * the user's key, and a second run finds the user onboarded).
     */
    async finishOnboarding(input: FinishInput): Promise<FinishResult> {
      try {
        return await db.transaction(async (manager) => {
          const [user] = await manager.query(FINISH_SQL, [
            input.telegramUserId,
            input.verificationId,
            input.referralCode,
          ]);
          const accounts = await deps.ledger.ensureUserAccounts(
            user.id,
            WALLET_CURRENCIES,
            manager,
          );
          if (user.referred) await payReferralBonus(user.id, accounts.USD!.trading_credit, manager);

          const [row] = await manager.query(
            `SELECT ${menuFactsJson('u')} AS menu FROM users u WHERE u.id = $1`,
            [user.id],
          );
          return { outcome: 'done', menu: row.menu } as const;
        });
      } catch (error) {
        if (isUniqueViolation(error, 'uq_users_email')) return { outcome: 'emailTaken' };
        throw error;
      }
    },
  };

  async function payReferralBonus(userId: string, tradingCredit: string, manager: EntityManager) {
    const budget = await deps.ledger.systemAccount('referral_program', 'USD', manager);
    const bonus = deps.referralBonusUsd;
    await deps.ledger.transfer(
      {
        kind: 'referral_bonus',
        idempotencyKey: `referral-bonus:${userId}:USD`,
        description: 'Referral bonus',
        entries: [
          { account: budget, currency: 'USD', amount: neg(bonus) },
          { account: tradingCredit, currency: 'USD', amount: bonus },
        ],
      },
      manager,
    );
  }
}

export type OnboardingActivities = ReturnType<typeof createOnboardingActivities>;

// $1 telegram id, $2 e-mail, $3 code digest, $4 idempotency key, $5 ttl s, $6 cooldown s,
// $7 sends per hour. A repeated key re-issues the same row with the new code (its e-mail may
// not have gone out) without counting another send.
const SEND_CODE_SQL = `
  WITH me AS (SELECT id FROM users WHERE telegram_id = $1),
  repeat AS (SELECT c.id FROM email_codes c WHERE c.idempotency_key = $4),
  recent AS (
    -- The resend wait runs from the last code still waiting to be typed: a code the user
    -- already used (at sign-up, or for an earlier cashout) does not delay the next one.
    SELECT count(*) AS sends, min(c.created_at) AS first_at,
      max(c.created_at) FILTER (WHERE c.verified_at IS NULL) AS last_at
    FROM email_codes c, me
    WHERE c.user_id = me.id AND c.created_at > now() - interval '1 hour'
  ),
  verdict AS (
    SELECT CASE
      WHEN EXISTS (SELECT 1 FROM repeat) THEN 'send'
      WHEN EXISTS (
        SELECT 1 FROM users o, me WHERE lower(o.email) = lower($2) AND o.id <> me.id
      ) THEN 'emailTaken'
      WHEN recent.last_at > now() - make_interval(secs => $6) THEN 'cooldown'
      WHEN recent.sends >= $7 THEN 'hourlyLimit'
      ELSE 'send'
    END AS outcome,
    CASE
      WHEN recent.last_at > now() - make_interval(secs => $6)
        THEN ceil(extract(epoch FROM recent.last_at + make_interval(secs => $6) - now()))::int
      ELSE ceil(extract(epoch FROM recent.first_at + interval '1 hour' - now()))::int
    END AS wait_seconds
    FROM recent
  ),
  superseded AS (
    UPDATE email_codes c SET superseded_at = now()
    FROM me, verdict
    WHERE verdict.outcome = 'send' AND c.user_id = me.id AND c.idempotency_key <> $4
      AND c.superseded_at IS NULL AND c.verified_at IS NULL
  ),
  issued AS (
    INSERT INTO email_codes (user_id, email, code_hash, idempotency_key, expires_at)
    SELECT me.id, $2, $3, $4, now() + make_interval(secs => $5)
    FROM me, verdict WHERE verdict.outcome = 'send'
    ON CONFLICT (idempotency_key) DO UPDATE
      SET code_hash = EXCLUDED.code_hash, expires_at = EXCLUDED.expires_at
    RETURNING id
  )
  SELECT verdict.outcome, verdict.wait_seconds, issued.id
  FROM verdict LEFT JOIN issued ON true`;

// $1 code id, $2 telegram id, $3 digest, $4 idempotency key, $5 max attempts. The row lock
// serialises concurrent tries; a key already recorded changes nothing and reads the state.
const VERIFY_CODE_SQL = `
  WITH target AS (
    SELECT c.* FROM email_codes c JOIN users u ON u.id = c.user_id
    WHERE c.id = $1 AND u.telegram_id = $2
    FOR UPDATE OF c
  ),
  tried AS (
    UPDATE email_codes c
    SET attempts = c.attempts + CASE WHEN c.code_hash = $3 THEN 0 ELSE 1 END,
        verified_at = CASE WHEN c.code_hash = $3 THEN now() END,
        attempt_keys = array_append(c.attempt_keys, $4)
    FROM target t
    WHERE c.id = t.id AND NOT ($4 = ANY (t.attempt_keys)) AND t.verified_at IS NULL
      AND t.superseded_at IS NULL AND t.attempts < $5 AND t.expires_at > now()
    RETURNING c.attempts, c.verified_at
  )
  SELECT coalesce(tried.attempts, target.attempts) AS attempts,
         coalesce(tried.verified_at, target.verified_at) IS NOT NULL AS verified,
         target.expires_at <= now() OR target.superseded_at IS NOT NULL AS expired
  FROM target LEFT JOIN tried ON true`;

// A statement that starts with UPDATE comes back from TypeORM as [rows, count], hence the CTE.
// $1 telegram id, $2 verified code id or null, $3 referral code or null. Repeatable: a second
// run finds the user onboarded and keeps the referrer it has. `referred`: the user has a
// referrer, so the bonus is due (its transfer key makes it once).
const FINISH_SQL = `
  WITH me AS (SELECT * FROM users WHERE telegram_id = $1 FOR UPDATE),
  code AS (
    SELECT c.email FROM email_codes c, me
    WHERE c.id = $2::uuid AND c.user_id = me.id AND c.verified_at IS NOT NULL
  ),
  referrer AS (
    SELECT r.id FROM users r, me
    WHERE $3::text IS NOT NULL AND r.referral_code = $3 AND r.id <> me.id AND NOT r.blocked
      AND me.referrer_id IS NULL AND me.onboarded_at IS NULL
  ),
  done AS (
    UPDATE users u
    SET onboarded_at = coalesce(u.onboarded_at, now()),
        terms_accepted_at = coalesce(u.terms_accepted_at, now()),
        email = coalesce((SELECT email FROM code), u.email),
        email_verified_at = CASE WHEN EXISTS (SELECT 1 FROM code) THEN now() ELSE u.email_verified_at END,
        referrer_id = coalesce(u.referrer_id, (SELECT id FROM referrer)),
        updated_at = now()
    FROM me WHERE u.id = me.id
    RETURNING u.id, u.referrer_id IS NOT NULL AS referred
  )
  SELECT id, referred FROM done`;
