import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, QueryRunner } from 'typeorm';

/** Statements seen inside one `QueryCounter.count` scope. */
export interface QueryTally {
  statements: number;
  sql: string[];
}

/**
 * A TypeORM logger that counts every statement sent to PostgreSQL, per async scope. Tests and
 * the bench wrap an activity call in `count()` and read exact numbers; transaction control
 * statements (START TRANSACTION, COMMIT) count too.
 */
export class QueryCounter implements Logger {
  private readonly scope = new AsyncLocalStorage<QueryTally>();
  total = 0;

  async count<T>(work: () => Promise<T>): Promise<{ result: T; tally: QueryTally }> {
    const tally: QueryTally = { statements: 0, sql: [] };
    const result = await this.scope.run(tally, work);
    return { result, tally };
  }

  logQuery(query: string, _parameters?: unknown[], _runner?: QueryRunner): void {
    this.total += 1;
    const tally = this.scope.getStore();
    if (!tally) return;

    tally.statements += 1;
    tally.sql.push(query.replace(/\s+/g, ' ').trim().slice(0, 200));
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
