import { isRecord } from '../http.ts';
import { ProviderError, type CryptoAsset } from '../types.ts';
import type { KrakenApi } from './api.ts';
import { sameAddress, type KrakenRoute } from './withdrawals.ts';

/**
 * Kraken pays only to withdrawal addresses registered and e-mail confirmed on the account, each
 * under a key name (WithdrawAddresses {asset, method, verified} → [{ address, key, … }]). Our
 * destination maps to the key whose address is ours; none is a verdict until an operator adds it.
 */
export async function keyFor(
  api: KrakenApi,
  route: KrakenRoute,
  asset: CryptoAsset,
  address: string,
): Promise<string> {
  const entries = await registeredAddresses(api, route);
  const match = entries.find((entry) => sameAddress(asset, entry.address, address));
  if (!match) throw unregistered(route, address);
  return match.key;
}

/** The method's confirmed withdrawal addresses. */
export async function registeredAddresses(
  api: KrakenApi,
  route: KrakenRoute,
): Promise<Array<{ address: string; key: string }>> {
  const params = { asset: route.asset, method: route.method, verified: 'true' };
  const result = await api.call('WithdrawAddresses', params);
  if (!Array.isArray(result)) {
    throw new ProviderError('kraken', 'bad_response', 'WithdrawAddresses is not a list', false);
  }
  return result
    .filter(isRecord)
    .filter((entry) => entry.verified !== false)
    .map((entry) => ({ address: String(entry.address ?? ''), key: String(entry.key ?? '') }))
    .filter((entry) => entry.address !== '' && entry.key !== '');
}

export function unregistered(route: KrakenRoute, address: string): ProviderError {
  const message =
    `no verified Kraken withdrawal key for ${address} (${route.method}); ` +
    'register and confirm the address in Kraken, then retry';
  return new ProviderError('kraken', 'address_not_registered', message, false);
}
