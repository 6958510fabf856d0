import type { DataSource } from 'typeorm';
import type { ChatParty } from '../machines/flow.ts';
import type { MenuFacts } from '../machines/menu.ts';
import { menuFactsJson, upsertMe, upsertParams } from './user-facts.ts';

export interface MenuDeps {
  db: DataSource;
  admins: readonly number[];
}

/** The main menu's I/O: its one-statement prefetch. */
export function createMenuActivities({ db, admins }: MenuDeps) {
  return {
    async prefetchMenuContext(input: { party: ChatParty; page?: string }): Promise<MenuFacts> {
      const withActivity = input.page === 'activity';
      const [row] = await db.query(
        `WITH ${upsertMe} SELECT ${menuFactsJson('me', withActivity)} AS facts FROM me`,
        upsertParams(input.party, admins),
      );
      return row.facts as MenuFacts;
    },
  };
}

export type MenuActivities = ReturnType<typeof createMenuActivities>;
