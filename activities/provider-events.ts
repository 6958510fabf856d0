import type { DataSource } from 'typeorm';

import type { ProviderEvent } from './providers/types.ts';

export type ProviderEventStatus = 'received' | 'dispatched' | 'unmatched';

/** An event as kept in `provider_events`, with its row id. */
export interface RecordedEvent {
  id: string;
  event: ProviderEvent;
}

/**
 * `provider_events`: every verified webhook event once, by (provider, event id). Recording is
 * one INSERT … ON CONFLICT DO NOTHING, so a redelivery, even one racing the first delivery on
 * another connection, records nothing and reports nothing new.
 */
export function createProviderEventStore(db: DataSource) {
  return {
    /**
     * Records the events not seen before and returns exactly those. An event listed twice is
     * recorded and returned once. Rows go in key order, so two bots recording overlapping
     * batches lock them in the same order and cannot deadlock.
     */
    async record(events: ProviderEvent[]): Promise<RecordedEvent[]> {
      if (events.length === 0) return [];
      const rows = events.map((event) => ({
        provider: event.provider,
        event_id: event.eventId,
        kind: event.kind,
        reference: event.reference,
        payload: event,
      }));
      const inserted: Array<{ id: string; provider: string; event_id: string }> = await db.query(
        `INSERT INTO provider_events (provider, event_id, kind, reference, payload)
         SELECT e.provider, e.event_id, e.kind, e.reference, e.payload
         FROM jsonb_to_recordset($1::jsonb)
           AS e (provider text, event_id text, kind text, reference text, payload jsonb)
         ORDER BY e.provider, e.event_id
         ON CONFLICT ON CONSTRAINT uq_provider_events_provider_event DO NOTHING
         RETURNING id, provider, event_id`,
        [JSON.stringify(rows)],
      );
      const byKey = new Map(events.map((event) => [keyOf(event), event]));
      return inserted.map((row) => ({
        id: row.id,
        event: byKey.get(keyOf({ provider: row.provider, eventId: row.event_id }))!,
      }));
    },

    /** Notes what dispatch made of received events; an event is handled once. */
    async mark(
      marks: Array<{ id: string; status: Exclude<ProviderEventStatus, 'received'> }>,
    ): Promise<void> {
      if (marks.length === 0) return;
      await db.query(
        `UPDATE provider_events e SET status = m.status, handled_at = now()
         FROM unnest($1::bigint[], $2::text[]) AS m (id, status)
         WHERE e.id = m.id AND e.status = 'received'`,
        [marks.map((mark) => mark.id), marks.map((mark) => mark.status)],
      );
    },

    /** Events still waiting for dispatch that arrived before `before`, oldest first. */
    async waiting(before: Date, limit = 100): Promise<RecordedEvent[]> {
      const rows: Array<{ id: string; payload: ProviderEvent }> = await db.query(
        `SELECT id, payload FROM provider_events
         WHERE status = 'received' AND received_at < $1
         ORDER BY received_at LIMIT $2`,
        [before, limit],
      );
      return rows.map((row) => ({ id: row.id, event: row.payload }));
    },
  };
}

export type ProviderEventStore = ReturnType<typeof createProviderEventStore>;

/** What makes an event the same event: its provider and the provider's event id. */
export function keyOf(event: Pick<ProviderEvent, 'provider' | 'eventId'>): string {
  return `${event.provider}\n${event.eventId}`;
}
