import type { DataSource } from 'typeorm';
import type { RateSource } from './providers/types.ts';

export interface RateDeps {
  db: DataSource;
  source: RateSource;
}

/** The rates schedule's work: fetch every pair and keep the newest of each, one statement. */
export function createRateActivities({ db, source }: RateDeps) {
  return {
    async refreshRates(): Promise<{ pairs: number }> {
      const rates = await source.fetchRates();
      await db.query(
        `INSERT INTO rates (base, quote, rate, source, observed_at, fetched_at)
         SELECT base, quote, rate, source, observed_at, now()
         FROM unnest($1::text[], $2::text[], $3::numeric[], $4::text[], $5::timestamptz[])
           AS r(base, quote, rate, source, observed_at)
         ON CONFLICT (base, quote) DO UPDATE
           SET rate = EXCLUDED.rate, source = EXCLUDED.source,
               observed_at = EXCLUDED.observed_at, fetched_at = EXCLUDED.fetched_at`,
        [
          rates.map((r) => r.base),
          rates.map((r) => r.quote),
          rates.map((r) => r.rate),
          rates.map((r) => r.source),
          rates.map((r) => r.observedAt),
        ],
      );
      return { pairs: rates.length };
    },
  };
}

export type RateActivities = ReturnType<typeof createRateActivities>;

/**
 * SQL for the rate of `base` in `quote` ($ placeholders given) when it is fresher than
 * `maxAgeSeconds`; no row when it is older. A stale rate never prices money.
 */
export function freshRateSql(base: string, quote: string, maxAgeSeconds: string): string {
  return `SELECT rate::text AS rate FROM rates
          WHERE base = ${base} AND quote = ${quote}
            AND fetched_at > now() - make_interval(secs => ${maxAgeSeconds})`;
}
