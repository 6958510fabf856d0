import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { ProviderEvent } from '../../activities/providers/types.ts';
import {
  depositSeenSignal,
  depositWorkflowId,
  entityWorkflowTypes,
  payoutReportedSignal,
  payoutWorkflowId,
  type PayoutStart,
} from '../../workflows/contract.ts';
import type { EventDispatch } from './handler.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Hands provider events to the workflows that own them. A deposit event signals its
 * `deposit-<id>` workflow, a payout event its `payout-<cashout id>` workflow, starting a new
 * run when the last one has ended (a late payment, a late verdict); the workflows apply each
 * outcome once, so a repeated hand-over changes nothing. An event whose reference names
 * nothing of ours (for payouts: a cashout paid through that provider) is `unmatched` and kept
 * for admins.
 * TODO(payments): collection events, once the exchange workflow exists.
 */
export function workflowDispatch(deps: {
  client: Client;
  db: DataSource;
  taskQueue: string;
  logger: Logger;
}): EventDispatch {
  return async (event) => {
    if (!UUID.test(event.reference)) return 'unmatched';
    if (event.kind === 'deposit') return dispatchDeposit(deps, event);
    if (event.kind === 'payout') return dispatchPayout(deps, event);
    return 'unmatched';
  };
}

type Deps = Parameters<typeof workflowDispatch>[0];

async function dispatchDeposit(deps: Deps, event: Extract<ProviderEvent, { kind: 'deposit' }>) {
  const [deposit] = await deps.db.query(`SELECT id FROM deposits WHERE id = $1`, [event.reference]);
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
}

async function dispatchPayout(deps: Deps, event: Extract<ProviderEvent, { kind: 'payout' }>) {
  const [cashout] = await deps.db.query(`SELECT id FROM cashouts WHERE id = $1 AND provider = $2`, [
    event.reference,
    event.provider,
  ]);
  if (!cashout) return 'unmatched';

  const start: PayoutStart = { cashoutId: cashout.id };
  await deps.client.workflow.signalWithStart(entityWorkflowTypes.payout, {
    workflowId: payoutWorkflowId(cashout.id),
    taskQueue: deps.taskQueue,
    args: [start],
    signal: payoutReportedSignal,
    signalArgs: [{ type: 'payout.reported', eventId: event.eventId, status: event.status }],
  });
  return 'dispatched';
}

/** For processes that take webhooks but own no workflows: everything is kept as unmatched. */
export function keepUnmatched(logger: Logger): EventDispatch {
  return async (event) => {
    logger.info({ provider: event.provider, eventId: event.eventId }, 'provider event kept');
    return 'unmatched';
  };
}
