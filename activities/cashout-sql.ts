import type { PayoutDestination, PayoutFacts } from '../machines/payout.ts';
import { toStorage } from '../machines/money.ts';

/** The statements of the cashout commit and the payout's prefetch, and what they return. */

export interface FactsRow {
  user_id: string;
  blocked: boolean;
  code_required: boolean;
  code_ok: boolean;
  within_limits: boolean;
  within_cap: boolean;
  quote_fresh: boolean;
  review_required: boolean;
  prior_id: string | null;
  prior_review: boolean;
  active_id: string | null;
  saved: SavedRow | null;
}

export interface SavedRow {
  asset: string | null;
  address: string | null;
  bank_code: string | null;
  account_number: string | null;
  account_name: string | null;
}

export function factsOf(row: Record<string, string | null> & { reviewers: string[] }): PayoutFacts {
  const destination: PayoutDestination =
    row.method === 'crypto'
      ? { method: 'crypto', asset: row.asset as never, address: row.address! }
      : {
          method: 'bank',
          bankCode: row.bank_code!,
          accountNumber: row.account_number!,
          accountName: row.account_name!,
        };
  return {
    cashoutId: row.id!,
    status: row.status as PayoutFacts['status'],
    owner: {
      telegramUserId: Number(row.telegram_id),
      firstName: row.first_name ?? '',
      username: row.username ?? null,
    },
    amountUsd: toStorage(row.amount_usd!),
    feeUsd: toStorage(row.fee_usd!),
    destination,
    provider: row.provider!,
    payoutCurrency: row.payout_currency as PayoutFacts['payoutCurrency'],
    payoutAmount: toStorage(row.payout_amount!),
    networkFee: toStorage(row.network_fee!),
    reviewers: row.reviewers.map(Number),
  };
}

// $1 telegram id, $2 key, $3 amount, $4 min, $5 max, $6 no-e-mail cap, $7 quote expiry,
// $8 verification id, $9 code validity (s), $10 saved destination id, $11 method,
// $12 asset or bank code, $13 review threshold. Reads only: what is written is guarded by
// constraints and the hold.
export const FACTS_SQL = `
  SELECT u.id AS user_id, u.blocked,
    u.email_verified_at IS NOT NULL AS code_required,
    EXISTS (
      SELECT 1 FROM email_codes e
      WHERE e.id = $8::uuid AND e.user_id = u.id
        AND e.verified_at > now() - make_interval(secs => $9::int)
        AND NOT EXISTS (SELECT 1 FROM cashouts spent WHERE spent.verification_id = e.id)
    ) AS code_ok,
    $3::numeric BETWEEN $4::numeric AND $5::numeric AS within_limits,
    $3::numeric <= $6::numeric AS within_cap,
    $7::timestamptz > now() AS quote_fresh,
    $3::numeric > $13::numeric AS review_required,
    prior.id AS prior_id, coalesce(prior.review_required, false) AS prior_review,
    active.id AS active_id,
    (SELECT json_build_object('asset', s.asset, 'address', s.address, 'bank_code', s.bank_code,
              'account_number', s.account_number, 'account_name', s.account_name)
     FROM saved_destinations s
     WHERE s.id = $10::bigint AND s.user_id = u.id AND s.method = $11
       AND $12 = CASE s.method WHEN 'crypto' THEN s.asset ELSE s.bank_code END) AS saved
  FROM users u
  LEFT JOIN cashouts prior ON prior.idempotency_key = $2 AND prior.user_id = u.id
  LEFT JOIN cashouts active ON active.user_id = u.id
    AND active.status IN ('awaiting_review', 'paying')
  WHERE u.telegram_id = $1 AND u.onboarded_at IS NOT NULL`;

// $1 user id, $2 key, $3 review required, $4 amount, $5 fee, $6 method, $7 asset, $8 address,
// $9 bank code, $10 account number, $11 account name, $12 provider, $13 payout currency,
// $14 payout amount, $15 network fee, $16 USD per unit, $17 hold id, $18 verification id,
// $19 label to save under (null: use once). Saving is an upsert on the destination's own
// unique index; a destination used again is touched so the list shows it first.
export const INSERT_SQL = `
  WITH saved_address AS (
    INSERT INTO saved_destinations (user_id, method, asset, address, label, last_used_at)
    SELECT $1, 'crypto', $7, $8, $19, now() WHERE $19::text IS NOT NULL AND $6 = 'crypto'
    ON CONFLICT (user_id, asset, address) WHERE method = 'crypto'
    DO UPDATE SET label = EXCLUDED.label, last_used_at = now()
    RETURNING id
  ),
  saved_account AS (
    INSERT INTO saved_destinations
      (user_id, method, bank_code, account_number, account_name, label, last_used_at)
    SELECT $1, 'bank', $9, $10, $11, $19, now() WHERE $19::text IS NOT NULL AND $6 = 'bank'
    ON CONFLICT (user_id, bank_code, account_number) WHERE method = 'bank'
    DO UPDATE SET label = EXCLUDED.label, account_name = EXCLUDED.account_name, last_used_at = now()
    RETURNING id
  ),
  touched AS (
    UPDATE saved_destinations s SET last_used_at = now()
    WHERE $19::text IS NULL AND s.user_id = $1 AND s.method = $6
      AND (s.method = 'crypto' AND s.asset = $7 AND s.address = $8
        OR s.method = 'bank' AND s.bank_code = $9 AND s.account_number = $10)
    RETURNING id
  )
  INSERT INTO cashouts (user_id, idempotency_key, status, review_required, amount_usd, fee_usd,
    method, asset, address, bank_code, account_number, account_name, destination_id, provider,
    payout_currency, payout_amount, network_fee, usd_per_unit, hold_id, verification_id)
  SELECT $1, $2, CASE WHEN $3 THEN 'awaiting_review' ELSE 'paying' END, $3, $4, $5,
    $6, $7, $8, $9, $10, $11,
    (SELECT id FROM saved_address UNION ALL SELECT id FROM saved_account
     UNION ALL SELECT id FROM touched LIMIT 1),
    $12, $13, $14, $15, $16, $17, $18::uuid
  ON CONFLICT DO NOTHING
  RETURNING id, review_required`;

// $1 telegram id, $2 key.
export const AFTER_CONFLICT_SQL = `
  SELECT prior.id AS prior_id, prior.review_required AS prior_review, active.id AS active_id
  FROM users u
  LEFT JOIN cashouts prior ON prior.idempotency_key = $2 AND prior.user_id = u.id
  LEFT JOIN cashouts active ON active.user_id = u.id
    AND active.status IN ('awaiting_review', 'paying')
  WHERE u.telegram_id = $1`;

// $1 cashout id. Reviewers: every admin but the owner, who never approves their own cashout.
export const LOAD_SQL = `
  SELECT c.id, c.status, u.telegram_id, u.first_name, u.username,
    c.amount_usd::text AS amount_usd, c.fee_usd::text AS fee_usd, c.method, c.asset,
    c.address, c.bank_code, c.account_number, c.account_name, c.provider, c.payout_currency,
    c.payout_amount::text AS payout_amount, c.network_fee::text AS network_fee,
    ARRAY(
      SELECT a.telegram_id::text FROM users a
      WHERE a.role = 'admin' AND NOT a.blocked AND a.id <> c.user_id ORDER BY a.telegram_id
    ) AS reviewers
  FROM cashouts c JOIN users u ON u.id = c.user_id
  WHERE c.id = $1`;
