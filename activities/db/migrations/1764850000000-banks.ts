import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Banks naira payouts can go to, copied from the bank provider's list so a cashout's prefetch
 * reads them with everything else instead of calling the provider on every run.
 */
export class Banks1764850000000 implements MigrationInterface {
  name = 'Banks1764850000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE banks (
        code text CONSTRAINT pk_banks PRIMARY KEY,
        name text NOT NULL,
        provider text NOT NULL,
        refreshed_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE banks`);
  }
}
