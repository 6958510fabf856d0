import { keyboardCodec } from './keyboard-codec.ts';

/** Buttons of add funds: one per asset, stamped with their screen. */
export const addFundsButtons = keyboardCodec({
  prefix: 'af',
  version: 1,
  actions: {
    btc: { type: 'asset.choose', asset: 'BTC' },
    eth: { type: 'asset.choose', asset: 'ETH' },
    ltc: { type: 'asset.choose', asset: 'LTC' },
    usdttrc: { type: 'asset.choose', asset: 'USDT_TRC20' },
    usdterc: { type: 'asset.choose', asset: 'USDT_ERC20' },
    cancel: { type: 'flow.cancel' },
  },
});
