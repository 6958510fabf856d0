import { keyboardCodec } from './keyboard-codec.ts';

/**
 * Buttons of the main menu. Each opens a flow, so they work on any old menu message: no
 * stamp, no running conversation needed.
 */
export const menuButtons = keyboardCodec({
  prefix: 'mn',
  version: 1,
  actions: {
    main: { type: 'flow.open', flow: 'menu' },
    invite: { type: 'flow.open', flow: 'menu', param: 'invite' },
    help: { type: 'flow.open', flow: 'menu', param: 'help' },
    start: { type: 'flow.open', flow: 'onboarding' },
    addfunds: { type: 'flow.open', flow: 'addFunds' },
  },
});
