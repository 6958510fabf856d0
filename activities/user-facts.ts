import { randomInt } from 'node:crypto';
import type { ChatParty } from '../machines/flow.ts';

/**
 * SQL pieces every conversation's prefetch shares. Each prefetch is one statement: it records
 * who is talking (an upsert, so a user exists from the first contact and admins are mirrored
 * from configuration) and returns the facts as one JSON value.
 */

/** A CTE named `me`: the upserted user row. Parameters $1–$5, see `upsertParams`. */
export const upsertMe = `
  me AS (
    INSERT INTO users (telegram_id, username, first_name, referral_code, role)
    VALUES ($1, $2, $3, $4, CASE WHEN $5 THEN 'admin' ELSE 'user' END)
    ON CONFLICT (telegram_id) DO UPDATE
      SET username = EXCLUDED.username,
          first_name = EXCLUDED.first_name,
          role = EXCLUDED.role,
          updated_at = now()
    RETURNING *
  )`;

export function upsertParams(party: ChatParty, admins: readonly number[]): unknown[] {
  return [
    party.telegramUserId,
    party.username ?? null,
    party.firstName,
    newReferralCode(),
    admins.includes(party.telegramUserId),
  ];
}

/**
 * A JSON object of `MenuFacts` for the user row `u`. Wallets are the user's USD and NGN ledger
 * accounts; null before onboarding made them.
 */
export function menuFactsJson(u: string, withActivity = false): string {
  return `json_build_object(
    'firstName', ${u}.first_name,
    'blocked', ${u}.blocked,
    'onboarded', ${u}.onboarded_at IS NOT NULL,
    'isAdmin', ${u}.role = 'admin',
    'referralCode', ${u}.referral_code,
    'referralCount', (SELECT count(*)::int FROM users f WHERE f.referrer_id = ${u}.id),
    'wallets', (
      SELECT json_object_agg(w.currency, json_build_object(
        'available', w.available::text, 'held', w.held::text, 'tradingCredit', w.trading_credit::text))
      FROM (
        SELECT a.currency,
          sum(a.balance) FILTER (WHERE a.bucket = 'available') AS available,
          sum(a.balance) FILTER (WHERE a.bucket = 'held') AS held,
          sum(a.balance) FILTER (WHERE a.bucket = 'trading_credit') AS trading_credit
        FROM ledger_accounts a
        WHERE a.owner_user_id = ${u}.id AND a.currency IN ('USD', 'NGN')
        GROUP BY a.currency
      ) w
    ),
    'withdrawableUsd', coalesce((
      SELECT trim_scale(a.balance)::text FROM ledger_accounts a
      WHERE a.owner_user_id = ${u}.id AND a.currency = 'USD' AND a.bucket = 'available'
    ), '0'),
    -- The newest cashout's destination, when it was saved (the cashout's prefetch agrees).
    'lastDestination', (
      SELECT json_build_object('id', s.id::text, 'label', s.label, 'method', s.method,
        'asset', s.asset)
      FROM (
        SELECT c.destination_id FROM cashouts c
        WHERE c.user_id = ${u}.id ORDER BY c.created_at DESC LIMIT 1
      ) last
      JOIN saved_destinations s ON s.id = last.destination_id
    ),
    'activity', ${withActivity ? activityJson(u) : 'NULL'}
  )`;
}

/** The newest wallet movements of the user row `u`, newest first. */
function activityJson(u: string): string {
  return `coalesce((
      SELECT json_agg(json_build_object('kind', m.kind, 'description', m.description,
        'currency', m.currency, 'bucket', m.bucket, 'amount', trim_scale(m.amount)::text,
        'at', to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
        ORDER BY m.transfer_id DESC)
      FROM (
        SELECT t.id AS transfer_id, t.kind, t.description, t.created_at, a.currency, a.bucket,
          e.amount
        FROM ledger_accounts a
        JOIN ledger_entries e ON e.account_id = a.id
        JOIN ledger_transfers t ON t.id = e.transfer_id
        WHERE a.owner_user_id = ${u}.id
        ORDER BY e.transfer_id DESC, e.id DESC
        LIMIT ${ACTIVITY_ITEMS}
      ) m
    ), '[]'::json)`;
}

/** Movements the activity page lists. */
const ACTIVITY_ITEMS = 10;

// Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L).
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function newReferralCode(): string {
  return Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}
