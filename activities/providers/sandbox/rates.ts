import { parseAmount, type Amount } from '../../../machines/money.ts';
import { ProviderError, type Rate, type RateSource } from '../types.ts';
import type { RailsRuntime } from './runtime.ts';
import { SANDBOX_PROVIDER } from './webhook-source.ts';

type Pair = `${Rate['base']}/${Rate['quote']}`;

/** The sandbox's prices until a test sets others. */
export const sandboxRates: Readonly<Partial<Record<Pair, Amount>>> = {
  'BTC/USD': '65000',
  'ETH/USD': '3200',
  'LTC/USD': '80',
  'USDT/USD': '1',
  'USD/NGN': '1550',
};

/** Fixed rates, observed now; `set` overrides one, `fail` makes the next fetches throw. */
export class SandboxRateSource implements RateSource {
  readonly provider = SANDBOX_PROVIDER;
  private overrides = new Map<Pair, Amount>();
  private failures: ProviderError[] = [];

  constructor(private readonly runtime: RailsRuntime) {}

  async fetchRates(): Promise<Rate[]> {
    const failure = this.failures.shift();
    if (failure) throw failure;

    const observedAt = this.runtime.now().toISOString();
    return Object.entries({ ...sandboxRates, ...Object.fromEntries(this.overrides) }).map(
      ([pair, rate]) => {
        const [base, quote] = pair.split('/') as [Rate['base'], Rate['quote']];
        return { base, quote, rate: rate!, source: this.provider, observedAt };
      },
    );
  }

  /** 1 `base` costs `rate` `quote` from now on. */
  set(base: Rate['base'], quote: Rate['quote'], rate: Amount): void {
    this.overrides.set(`${base}/${quote}`, parseAmount(rate));
  }

  /** Back to `sandboxRates`. */
  reset(): void {
    this.overrides.clear();
    this.failures = [];
  }

  /** The next `times` fetches throw `error` (default: a retryable outage). */
  fail(times = 1, error?: ProviderError): void {
    const outage = new ProviderError(this.provider, 'unavailable', 'rates are down', true);
    for (let i = 0; i < times; i += 1) this.failures.push(error ?? outage);
  }
}
