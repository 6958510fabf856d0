import type { DataSource } from 'typeorm';
import { toStorage, type Amount, type Currency } from '../../machines/money.ts';
import type { Bucket } from './types.ts';

export interface HistoryItem {
  transferId: string;
  kind: string;
  description: string;
  metadata: Record<string, unknown>;
  /** ISO 8601. */
  createdAt: string;
  /** This user's side of the transfer only. */
  entries: { currency: Currency; bucket: Bucket; amount: Amount }[];
}

export interface HistoryPage {
  items: HistoryItem[];
  page: number;
  pageSize: number;
  total: number;
}

/** `history`: the user's transfers, newest first, a page at a time, in one statement. */
export function createHistory(db: DataSource) {
  /** `page` counts from 1. `kind` keeps only transfers of that kind. */
  return async function history(
    userId: string,
    { page = 1, pageSize = 10, kind }: { page?: number; pageSize?: number; kind?: string } = {},
  ): Promise<HistoryPage> {
    const [row] = await db.query(HISTORY_SQL, [
      userId,
      kind ?? null,
      pageSize,
      (page - 1) * pageSize,
    ]);
    const items = (row.items as HistoryItem[]).map((item) => ({
      ...item,
      entries: item.entries.map((entry) => ({ ...entry, amount: toStorage(entry.amount) })),
    }));
    return { items, page, pageSize, total: row.total };
  };
}

// $1 user id, $2 kind or null, $3 page size, $4 offset. Amounts leave as text: a JSON number
// would lose digits in JSON.parse.
const HISTORY_SQL = `
  WITH mine AS (SELECT id, bucket FROM ledger_accounts WHERE owner_user_id = $1),
  listed AS (
    SELECT t.* FROM ledger_transfers t
    WHERE t.id IN (SELECT e.transfer_id FROM ledger_entries e JOIN mine m ON m.id = e.account_id)
      AND ($2::text IS NULL OR t.kind = $2)
  ),
  page AS (SELECT * FROM listed ORDER BY id DESC LIMIT $3 OFFSET $4)
  SELECT
    (SELECT count(*)::int FROM listed) AS total,
    coalesce(
      (SELECT json_agg(json_build_object(
        'transferId', p.id::text,
        'kind', p.kind,
        'description', p.description,
        'metadata', p.metadata,
        'createdAt', to_json(p.created_at),
        'entries', (
          SELECT json_agg(json_build_object(
            'currency', e.currency, 'bucket', m.bucket, 'amount', e.amount::text) ORDER BY e.id)
          FROM ledger_entries e JOIN mine m ON m.id = e.account_id
          WHERE e.transfer_id = p.id)
      ) ORDER BY p.id DESC) FROM page p),
      '[]') AS items`;
