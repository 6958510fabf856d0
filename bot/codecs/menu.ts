import { DESTINATION_ID } from './cashout.ts';
import { keyboardCodec } from './keyboard-codec.ts';
import { valueCodec } from './value-codec.ts';

/**
 * Buttons of the main menu. Each opens a flow, so they work on any old menu message: no
 * stamp, no running conversation needed.
 */
export const menuButtons = keyboardCodec({
  prefix: 'mn',
  version: 1,
  actions: {
    main: { type: 'flow.open', flow: 'menu' },
    wallet: { type: 'flow.open', flow: 'menu', param: 'wallet' },
    activity: { type: 'flow.open', flow: 'menu', param: 'activity' },
    invite: { type: 'flow.open', flow: 'menu', param: 'invite' },
    help: { type: 'flow.open', flow: 'menu', param: 'help' },
    start: { type: 'flow.open', flow: 'onboarding' },
    addfunds: { type: 'flow.open', flow: 'addFunds' },
    cashout: { type: 'flow.open', flow: 'cashout' },
    cashoutall: { type: 'flow.open', flow: 'cashout', param: 'all' },
  },
});

/**
 * The wallet's *{asset} again* / *Bank again* button: `mv1:again:<destination id>`, no stamp,
 * opening a cashout with param `again_<id>`. It names the destination only: the cashout reads
 * the destination from the database by id, and never takes an amount from a button.
 */
export const menuValueButtons = valueCodec({
  prefix: 'mv',
  version: 1,
  stamped: false,
  actions: {
    again: {
      pattern: DESTINATION_ID,
      event: (id) => ({ type: 'flow.open', flow: 'cashout', param: `again_${id}` }),
    },
  },
});
