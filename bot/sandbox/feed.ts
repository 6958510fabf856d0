import type { ServerResponse } from 'node:http';

import type { Logger } from 'pino';

import type { OutboxFolder } from './outbox.ts';
import type { SandboxSnapshot } from './protocol.ts';
import type { SandboxProvider } from './providers.ts';

const MAILS_SHOWN = 20;
const SETTLE_MS = 50;
const HEARTBEAT_MS = 15_000;

/**
 * The sandbox panel's live view: one snapshot (the newest e-mails, every provider's pending
 * operations) sent to each stream when it connects, and again after the outbox or a provider
 * changes. Changes are gathered for a moment, since one e-mail write fires several events.
 */
export class SandboxFeed {
  private readonly streams = new Set<ServerResponse>();
  private readonly stops: Array<() => void> = [];
  private pending: NodeJS.Timeout | undefined;

  constructor(
    private readonly outbox: OutboxFolder,
    private readonly providers: SandboxProvider[],
    private readonly logger: Logger,
  ) {}

  /** Starts watching the outbox and the providers. */
  start(): void {
    const onError = (error: Error) =>
      this.logger.warn(
        { err: error, dir: this.outbox.dir },
        'sandbox page cannot watch the outbox',
      );
    this.stops.push(this.outbox.watch(() => this.changed(), onError));
    for (const provider of this.providers)
      this.stops.push(provider.subscribe(() => this.changed()));
  }

  async snapshot(): Promise<SandboxSnapshot> {
    const providers = await Promise.all(
      this.providers.map(async (provider) => ({
        name: provider.name,
        label: provider.label,
        pending: await provider.pending(),
      })),
    );
    return { mails: await this.outbox.latest(MAILS_SHOWN), providers };
  }

  /** Serves one server-sent-event stream of snapshots until the browser goes away. */
  async stream(res: ServerResponse): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    });
    this.streams.add(res);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    res.once('close', () => {
      clearInterval(heartbeat);
      this.streams.delete(res);
    });

    res.write(asEvent(await this.snapshot()));
  }

  /** Stops watching and ends every stream. */
  close(): void {
    clearTimeout(this.pending);
    for (const stop of this.stops.splice(0)) stop();
    for (const res of this.streams) res.end();
  }

  private changed(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.broadcast(), SETTLE_MS);
  }

  private async broadcast(): Promise<void> {
    if (this.streams.size === 0) return;
    try {
      const event = asEvent(await this.snapshot());
      for (const res of this.streams) res.write(event);
    } catch (error) {
      this.logger.warn({ err: error }, 'sandbox page could not refresh its panel');
    }
  }
}

const asEvent = (snapshot: SandboxSnapshot) => `data: ${JSON.stringify(snapshot)}\n\n`;
