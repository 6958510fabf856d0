import { DataSource, type Logger } from 'typeorm';
import { entities } from './entities.ts';
import { KrakenWithdrawals1764840000000 } from './migrations/1764840000000-kraken-withdrawals.ts';
import { UsersAndOnboarding1764780000000 } from './migrations/1764780000000-users-and-onboarding.ts';
import { Ledger1764790000000 } from './migrations/1764790000000-ledger.ts';
import { WalletsToLedger1764800000000 } from './migrations/1764800000000-wallets-to-ledger.ts';
import { ProviderEvents1764810000000 } from './migrations/1764810000000-provider-events.ts';
import { DepositsAndRates1764820000000 } from './migrations/1764820000000-deposits-and-rates.ts';
import { Cashouts1764830000000 } from './migrations/1764830000000-cashouts.ts';
import { Banks1764850000000 } from './migrations/1764850000000-banks.ts';

export const migrations = [
  UsersAndOnboarding1764780000000,
  Ledger1764790000000,
  WalletsToLedger1764800000000,
  ProviderEvents1764810000000,
  DepositsAndRates1764820000000,
  Cashouts1764830000000,
  KrakenWithdrawals1764840000000,
  Banks1764850000000,
];

export interface DataSourceOptions {
  url: string;
  /** Sees every statement; pass a `QueryCounter` to count them. */
  logger?: Logger;
  poolSize?: number;
}

/** The one way LockBay connects to PostgreSQL. Schema comes from migrations only. */
export function createDataSource({ url, logger, poolSize = 10 }: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    logging: logger ? ['query', 'error'] : ['error'],
    ...(logger ? { logger } : {}),
    extra: { max: poolSize },
  });
}

/** Connects and applies pending migrations; returns the initialised data source. */
export async function openDatabase(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
