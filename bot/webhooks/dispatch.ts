import type { Logger } from 'pino';

import type { EventDispatch } from './handler.ts';

/**
 * The dispatch used until workflows own provider events: every event is kept as `unmatched`,
 * so nothing is lost and an admin can see it.
 * TODO(payments): replace with a dispatch that signals the workflow owning the reference
 * (`deposit-<reference>`, `payout-<reference>`) and answers `unmatched` when none runs.
 */
export function keepUnmatched(logger: Logger): EventDispatch {
  return async (event) => {
    logger.info(
      { provider: event.provider, eventId: event.eventId },
      'no workflow takes provider events yet',
    );
    return 'unmatched';
  };
}
