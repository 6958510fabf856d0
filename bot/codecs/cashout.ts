import { keyboardCodec } from './keyboard-codec.ts';
import { valueCodec } from './value-codec.ts';

/** Buttons of the cashout screens that need no value; each press is stamped with its screen. */
export const cashoutButtons = keyboardCodec({
  prefix: 'cs',
  version: 1,
  actions: {
    all: { type: 'amount.all' },
    custom: { type: 'amount.custom' },
    crypto: { type: 'method.choose', method: 'crypto' },
    bank: { type: 'method.choose', method: 'bank' },
    btc: { type: 'asset.choose', asset: 'BTC' },
    eth: { type: 'asset.choose', asset: 'ETH' },
    ltc: { type: 'asset.choose', asset: 'LTC' },
    usdttrc: { type: 'asset.choose', asset: 'USDT_TRC20' },
    usdterc: { type: 'asset.choose', asset: 'USDT_ERC20' },
    new: { type: 'destination.new' },
    save: { type: 'destination.save' },
    once: { type: 'destination.useOnce' },
    confirm: { type: 'cashout.confirm' },
    resend: { type: 'code.resend' },
    back: { type: 'step.back' },
    cancel: { type: 'flow.cancel' },
  },
});

/** A Nigerian bank's code as the bank provider lists it (CBN codes are 3, NIP codes 5–6). */
export const BANK_CODE = /^\d{3,6}$/;
/** A saved destination's id: a PostgreSQL identity, far below 18 digits. */
export const DESTINATION_ID = /^\d{1,18}$/;

/**
 * The bank and saved-destination buttons: `cb1:b:<bank code>:<stamp>` and
 * `cb1:d:<destination id>:<stamp>`, 36 bytes at most with today's stamps. The machine still
 * checks that the bank is one it pays to and the destination is this user's.
 */
export const cashoutChoiceButtons = valueCodec({
  prefix: 'cb',
  version: 1,
  stamped: true,
  actions: {
    b: { pattern: BANK_CODE, event: (bankCode) => ({ type: 'bank.choose', bankCode }) },
    d: {
      pattern: DESTINATION_ID,
      event: (destinationId) => ({ type: 'destination.choose', destinationId }),
    },
  },
});
