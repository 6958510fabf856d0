import type { Api } from 'node-telegram-bot-api';
import type { DataSource } from 'typeorm';
import { createCashoutFlowActivities } from './cashout-flow.ts';
import { createCashoutActivities } from './cashouts.ts';
import { createCashoutSettlement } from './cashout-settlement.ts';
import type { Config } from './config.ts';
import { createDepositActivities } from './deposits.ts';
import { createLedger } from './ledger/index.ts';
import type { Mailer } from './mail/mailer.ts';
import { createMenuActivities } from './menu.ts';
import { createNotifyActivities } from './notify.ts';
import { createOnboardingActivities } from './onboarding.ts';
import { createPayoutRailActivities } from './payout-rails.ts';
import type { Rails } from './providers/index.ts';
import { createRateActivities } from './rates.ts';

export interface ActivityDeps {
  db: DataSource;
  mailer: Mailer;
  rails: Rails;
  telegram: Pick<Api, 'sendMessage'>;
  config: Pick<Config, 'admins' | 'otp' | 'flows' | 'providers' | 'cashout'>;
}

/** Every activity the worker registers, built over its dependencies. */
export function createActivities({ db, mailer, rails, telegram, config }: ActivityDeps) {
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
    ...createRateActivities({ db, source: rails.rateSource }),
    ...createDepositActivities({
      db,
      ledger,
      processor: rails.cryptoProcessor,
      publicUrl: config.providers.publicUrl,
      rateMaxAgeSeconds: config.providers.rateMaxAgeSeconds,
    }),
    ...createCashoutFlowActivities({
      db,
      rails,
      admins: config.admins,
      rateMaxAgeSeconds: config.providers.rateMaxAgeSeconds,
    }),
    ...createCashoutActivities({ db, ledger, rails, limits: config.cashout }),
    ...createCashoutSettlement({ db, ledger }),
    ...createPayoutRailActivities({ rails }),
    ...createNotifyActivities({ telegram }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
