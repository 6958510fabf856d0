import type { ProviderConfig } from '../config.ts';
import { createRealProviders, type RealProviderDeps } from './real.ts';
import type { SandboxRails } from './sandbox/index.ts';
import type {
  CryptoPayouts,
  CryptoProcessor,
  NgnBank,
  RateSource,
  WebhookSource,
} from './types.ts';

/** One client per rail, as configuration chose them. */
export interface Rails {
  cryptoProcessor: CryptoProcessor;
  cryptoPayouts: CryptoPayouts;
  ngnBank: NgnBank;
  rateSource: RateSource;
  /** The real providers' webhook sources (the bot adds the sandbox's). */
  webhooks: WebhookSource[];
}

/**
 * The rails the worker uses: the real client where configuration names a provider, else the
 * sandbox's. `sandbox` is required when any rail is a sandbox (one per process, shared with
 * the sandbox page).
 */
export function selectRails(
  config: ProviderConfig,
  sandbox: SandboxRails | undefined,
  realDeps: RealProviderDeps = {},
): Rails {
  const real = createRealProviders(config, realDeps);
  const fromSandbox = <T>(rail: T | undefined, name: string): T => {
    if (rail) return rail;
    throw new Error(`the ${name} rail is a sandbox, but no sandbox rails were given`);
  };

  return {
    cryptoProcessor: real.cryptoProcessor ?? fromSandbox(sandbox?.crypto, 'crypto processor'),
    cryptoPayouts: real.cryptoPayouts ?? fromSandbox(sandbox?.payouts, 'crypto payouts'),
    ngnBank: real.ngnBank ?? fromSandbox(sandbox?.bank, 'NGN bank'),
    rateSource: real.rateSource ?? fromSandbox(sandbox?.rates, 'rate source'),
    webhooks: real.webhooks,
  };
}
