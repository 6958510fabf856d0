import type { DataSource } from 'typeorm';
import type { Config } from './config.ts';
import type { Mailer } from './mail/mailer.ts';
import { createLedger } from './ledger/index.ts';
import { createMenuActivities } from './menu.ts';
import { createOnboardingActivities } from './onboarding.ts';

export interface ActivityDeps {
  db: DataSource;
  mailer: Mailer;
  config: Pick<Config, 'admins' | 'otp' | 'flows'>;
}

/** Every activity the worker registers, built over its dependencies. */
export function createActivities({ db, mailer, config }: ActivityDeps) {
  const ledger = createLedger({ db });

  return {
    ...createOnboardingActivities({
      db,
      mailer,
      admins: config.admins,
      otp: config.otp,
      referralBonusUsd: config.flows.referralBonusUsd,
      ledger,
    }),
    ...createMenuActivities({ db, admins: config.admins }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
