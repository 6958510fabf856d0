import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';

import {
  createProviderEventStore,
  keyOf,
  type ProviderEventStore,
  type RecordedEvent,
} from '../../activities/provider-events.ts';
import type { ProviderEvent, WebhookSource } from '../../activities/providers/types.ts';
import { coalesce } from './coalesce.ts';

/**
 * What became of an event handed over: a workflow owns its reference and took it, or none does
 * (the event is kept as `unmatched` for an admin). Throwing means "try again later".
 */
export type DispatchOutcome = 'dispatched' | 'unmatched';

/**
 * Hands a newly recorded event to the workflow that owns its reference. Called once per event
 * in the normal course, but again by the redispatch sweep after a failure or a restart, so it
 * must be idempotent by `event.eventId`.
 */
export type EventDispatch = (event: ProviderEvent) => Promise<DispatchOutcome>;

export interface WebhookReply {
  status: 200 | 400 | 401 | 404 | 500;
  /** Events new to us in this body (handed to dispatch). */
  recorded: number;
  /** Events in this body we had already recorded. */
  duplicates: number;
}

export interface WebhookHandler {
  /** Verifies, parses and records one webhook; dispatch of new events runs after it returns. */
  handle(provider: string, rawBody: Buffer, headers: IncomingHttpHeaders): Promise<WebhookReply>;
  /** Resolves when every dispatch started so far has finished. */
  settled(): Promise<void>;
  /** Dispatches events left `received` for `olderThanMs` (dispatch failed, or a restart). */
  redispatch(olderThanMs?: number): Promise<number>;
}

export interface WebhookHandlerOptions {
  db: DataSource;
  sources: WebhookSource[];
  dispatch: EventDispatch;
  logger: Logger;
}

/**
 * Provider webhooks, from raw body to workflow: the provider's source verifies the signature on
 * the raw bytes (nothing is parsed before that), the events are recorded once by (provider,
 * event id), the answer goes back at once, and only then are new events dispatched.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const { sources, dispatch, logger } = options;
  const store = createProviderEventStore(options.db);
  // Under load, webhooks arriving together share one INSERT and marks one UPDATE: fewer
  // commits, so acknowledgements stay fast with dozens in flight (scripts/bench-webhooks.ts).
  const record = coalesce((bodies: ProviderEvent[][]) => recordTogether(store, bodies));
  const mark = coalesce(async (marks: Parameters<ProviderEventStore['mark']>[0]) => {
    await store.mark(marks);
    return marks.map(() => undefined);
  });
  const inFlight = new Map<string, Promise<void>>();

  const hand = (recorded: RecordedEvent): Promise<void> => {
    const running = inFlight.get(recorded.id);
    if (running) return running;

    const { provider, eventId, kind } = recorded.event;
    const work = dispatch(recorded.event)
      .then(async (outcome) => {
        await mark({ id: recorded.id, status: outcome });
        if (outcome === 'unmatched')
          logger.warn({ provider, eventId, kind }, 'provider event matches no workflow');
      })
      .catch((error: unknown) =>
        logger.error(
          { err: error, provider, eventId, kind },
          'provider event not dispatched; will retry',
        ),
      )
      .finally(() => inFlight.delete(recorded.id));
    inFlight.set(recorded.id, work);
    return work;
  };

  return {
    async handle(provider, rawBody, headers) {
      const source = sources.find((each) => each.provider === provider);
      if (!source) return { status: 404, recorded: 0, duplicates: 0 };
      if (!source.verify(rawBody, headers)) {
        logger.warn({ provider, bytes: rawBody.length }, 'provider webhook with a bad signature');
        return { status: 401, recorded: 0, duplicates: 0 };
      }

      let events: ProviderEvent[];
      try {
        events = source.parse(rawBody);
      } catch (error) {
        // Only the error's name: JSON.parse quotes the body in its message.
        const reason = error instanceof Error ? error.name : typeof error;
        logger.error(
          { provider, bytes: rawBody.length, reason },
          'signed provider webhook we cannot read',
        );
        return { status: 400, recorded: 0, duplicates: 0 };
      }

      const recorded = await record(events);
      for (const each of recorded) void hand(each);
      logger.debug(
        { provider, recorded: recorded.length, events: events.length },
        'provider webhook',
      );
      return {
        status: 200,
        recorded: recorded.length,
        duplicates: events.length - recorded.length,
      };
    },

    async settled() {
      while (inFlight.size > 0) await Promise.all(inFlight.values());
    },

    async redispatch(olderThanMs = 60_000) {
      const waiting = await store.waiting(new Date(Date.now() - olderThanMs));
      await Promise.all(waiting.map(hand));
      return waiting.length;
    },
  };
}

/** Records several bodies' events in one statement; each body gets back its new events. */
async function recordTogether(store: ProviderEventStore, bodies: ProviderEvent[][]) {
  const inserted = new Map(
    (await store.record(bodies.flat())).map((each) => [keyOf(each.event), each]),
  );
  return bodies.map((events) =>
    events.flatMap((event) => {
      const recorded = inserted.get(keyOf(event));
      // The first body to list an event takes it; a copy in the same batch is a duplicate.
      inserted.delete(keyOf(event));
      return recorded ? [recorded] : [];
    }),
  );
}
