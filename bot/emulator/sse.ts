import type { ServerResponse } from 'node:http';

import type { PrivateChat } from './chat.ts';

const HEARTBEAT_MS = 15_000;

/**
 * Streams the chat's events after `after` as server-sent events (`id:` is the seq, `data:` the
 * event as JSON), then every new one live, until the client disconnects or the emulator closes.
 */
export function streamChat(chat: PrivateChat, after: number, res: ServerResponse): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });

  let sent = after;
  const flush = () => {
    for (const event of chat.eventsAfter(sent)) {
      res.write(`id: ${event.seq}\ndata: ${JSON.stringify(event)}\n\n`);
      sent = event.seq;
    }
  };
  flush();

  const unsubscribe = chat.changed.subscribe(flush);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  return new Promise((resolve) => {
    res.once('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      resolve();
    });
  });
}
