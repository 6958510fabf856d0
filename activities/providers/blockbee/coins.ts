import type { CryptoAsset } from '../types.ts';

/** BlockBee's ticker per asset; the ticker is a path segment, tokens as network/token. */
export const blockbeeTickers: Readonly<Record<CryptoAsset, string>> = {
  BTC: 'btc',
  ETH: 'eth',
  LTC: 'ltc',
  USDT_TRC20: 'trc20/usdt',
  USDT_ERC20: 'erc20/usdt',
};

/**
 * The asset of a webhook's `coin` field. BlockBee writes tokens with an underscore there
 * (`trc20_usdt`) and with a slash in URLs; both are accepted. Null for a coin we never asked for.
 */
export function assetOfCoin(coin: string): CryptoAsset | null {
  const ticker = coin.trim().toLowerCase().replace('_', '/');
  const entry = Object.entries(blockbeeTickers).find(([, known]) => known === ticker);
  return entry ? (entry[0] as CryptoAsset) : null;
}
