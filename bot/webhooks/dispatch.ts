import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import {
  depositSeenSignal,
  depositWorkflowId,
  entityWorkflowTypes,
} from '../../workflows/contract.ts';
import type { EventDispatch } from './handler.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Hands provider events to the workflows that own them. A deposit event signals its
 * `deposit-<id>` workflow, starting a new run when the last one has ended (a late payment);
 * the workflow credits each transaction once, so a repeated hand-over changes nothing. An event
 * whose reference names no deposit is `unmatched` and kept for admins.
 * TODO(payments): payout and collection events, once payout and exchange workflows exist.
 */
export function workflowDispatch(deps: {
  client: Client;
  db: DataSource;
  taskQueue: string;
  logger: Logger;
}): EventDispatch {
  return async (event) => {
    if (event.kind !== 'deposit' || !UUID.test(event.reference)) return 'unmatched';

    const [deposit] = await deps.db.query(`SELECT id FROM deposits WHERE id = $1`, [
      event.reference,
    ]);
    if (!deposit) return 'unmatched';

    await deps.client.workflow.signalWithStart(entityWorkflowTypes.deposit, {
      workflowId: depositWorkflowId(deposit.id),
      taskQueue: deps.taskQueue,
      args: [{ depositId: deposit.id }],
      signal: depositSeenSignal,
      signalArgs: [
        {
          type: 'deposit.seen',
          eventId: event.eventId,
          txid: event.txid,
          amount: event.amount,
          confirmed: event.confirmed,
        },
      ],
    });
    return 'dispatched';
  };
}

/** For processes that take webhooks but own no workflows: everything is kept as unmatched. */
export function keepUnmatched(logger: Logger): EventDispatch {
  return async (event) => {
    logger.info({ provider: event.provider, eventId: event.eventId }, 'provider event kept');
    return 'unmatched';
  };
}
