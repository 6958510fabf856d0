import type { ProviderConfig } from '../config.ts';
import { BlockBeeProcessor } from './blockbee/processor.ts';
import { BlockBeeWebhooks } from './blockbee/webhooks.ts';
import { CoinGeckoRates } from './coingecko/rates.ts';
import { FincraBank, type FincraBankOptions } from './fincra/bank.ts';
import { FincraWebhooks } from './fincra/webhooks.ts';
import type { Fetch } from './http.ts';
import { KrakenPayouts } from './kraken/payouts.ts';
import type { WithdrawalLog } from './kraken/withdrawal-log.ts';
import type {
  CryptoPayouts,
  CryptoProcessor,
  NgnBank,
  RateSource,
  WebhookSource,
} from './types.ts';

export interface RealProviderDeps {
  fetch?: Fetch;
  /** Kraken's idempotency key → refid log; required when the payouts rail is Kraken. */
  krakenWithdrawals?: WithdrawalLog;
  /** BlockBee's webhook verification key, if it ever differs from the published one. */
  blockbeePublicKey?: string;
  /** Stores which Fincra virtual account serves which collection reference. */
  onFincraVirtualAccount?: FincraBankOptions['onVirtualAccount'];
}

/** The real clients of the rails configured as real; a sandbox rail is left undefined. */
export interface RealProviders {
  cryptoProcessor?: CryptoProcessor;
  cryptoPayouts?: CryptoPayouts;
  ngnBank?: NgnBank;
  rateSource?: RateSource;
  /** One per provider that posts webhooks, for `POST /webhooks/<provider>`. */
  webhooks: WebhookSource[];
}

/**
 * Builds the real provider clients named by the configuration. Configuration has already
 * checked that each real rail has its secrets; this only refuses what it cannot build safely.
 */
export function createRealProviders(
  config: ProviderConfig,
  deps: RealProviderDeps = {},
): RealProviders {
  const { fetch } = deps;
  const providers: RealProviders = { webhooks: [] };
  const { cryptoProcessor, cryptoPayouts, ngnBank, rateSource } = config;

  providers.webhooks.push(...realWebhookSources(config, deps));
  if (cryptoProcessor.kind === 'blockbee') {
    providers.cryptoProcessor = new BlockBeeProcessor(cryptoProcessor, { fetch });
  }
  if (cryptoPayouts.kind === 'kraken') {
    if (!deps.krakenWithdrawals) {
      throw new Error('CRYPTO_PAYOUTS=kraken needs a durable withdrawal log (krakenWithdrawals)');
    }
    providers.cryptoPayouts = new KrakenPayouts(cryptoPayouts, {
      fetch,
      log: deps.krakenWithdrawals,
    });
  }
  if (ngnBank.kind === 'fincra') {
    providers.ngnBank = new FincraBank(ngnBank, {
      fetch,
      onVirtualAccount: deps.onFincraVirtualAccount,
    });
  }
  if (rateSource.kind === 'coingecko') {
    providers.rateSource = new CoinGeckoRates(rateSource, { fetch });
  }
  return providers;
}

/** The webhook sources of the real providers configured: what the bot's endpoint verifies. */
export function realWebhookSources(
  config: ProviderConfig,
  deps: Pick<RealProviderDeps, 'blockbeePublicKey'> = {},
): WebhookSource[] {
  const sources: WebhookSource[] = [];
  if (config.cryptoProcessor.kind === 'blockbee') {
    sources.push(new BlockBeeWebhooks(deps.blockbeePublicKey));
  }
  if (config.ngnBank.kind === 'fincra')
    sources.push(new FincraWebhooks(config.ngnBank.webhookSecret));
  return sources;
}
