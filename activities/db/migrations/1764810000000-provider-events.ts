import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment-provider webhooks, one row per (provider, event id): the unique constraint is what
 * turns a provider's redelivery into a no-op. `status` says whether a workflow took the event
 * (`dispatched`), none owns its reference (`unmatched`, kept for admins), or it still waits to
 * be handed over (`received`).
 */
export class ProviderEvents1764810000000 implements MigrationInterface {
  name = 'ProviderEvents1764810000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE provider_events (
        id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT pk_provider_events PRIMARY KEY,
        provider text NOT NULL,
        event_id text NOT NULL,
        kind text NOT NULL
          CONSTRAINT ck_provider_events_kind CHECK (kind IN ('deposit', 'payout', 'collection')),
        reference text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'received'
          CONSTRAINT ck_provider_events_status CHECK (status IN ('received', 'dispatched', 'unmatched')),
        received_at timestamptz NOT NULL DEFAULT now(),
        handled_at timestamptz,
        CONSTRAINT ck_provider_events_handled CHECK ((status = 'received') = (handled_at IS NULL)),
        CONSTRAINT uq_provider_events_provider_event UNIQUE (provider, event_id)
      )`);
    // Admins look events up by reference; the redispatch sweep reads the oldest `received`.
    await db.query(
      `CREATE INDEX ix_provider_events_reference ON provider_events (provider, reference)`,
    );
    await db.query(
      `CREATE INDEX ix_provider_events_status ON provider_events (status, received_at)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE provider_events`);
  }
}
