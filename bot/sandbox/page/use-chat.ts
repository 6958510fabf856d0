import { useEffect, useState } from 'preact/hooks';

import type { ChatEvent } from '../../emulator/protocol.ts';
import { api, chatStreamUrl } from './api.ts';
import { type ChatView, applyEvents, emptyChat } from './chat-view.ts';

export type Connection = 'connecting' | 'live' | 'lost';

// Telegram shows a chat action for 5 seconds, or until the bot's next message.
const TYPING_MS = 5_000;

/**
 * The user's chat, kept current: its history first, then every new event from the emulator's
 * server-sent-event stream. The browser reconnects a dropped stream by itself and resumes
 * after the last event it saw (Last-Event-ID).
 */
export function useChat(userId: number): {
  view: ChatView;
  connection: Connection;
  typing: boolean;
} {
  const [view, setView] = useState(emptyChat);
  const [connection, setConnection] = useState<Connection>('connecting');

  useEffect(() => {
    let source: EventSource | undefined;
    let stopped = false;
    setView(emptyChat);
    setConnection('connecting');

    api
      .chatLog(userId)
      .then((log) => {
        if (stopped) return;
        setView(applyEvents(emptyChat, log.events, false));
        source = follow(userId, log.seq, setView, setConnection);
      })
      .catch(() => setConnection('lost'));

    return () => {
      stopped = true;
      source?.close();
    };
  }, [userId]);

  return { view, connection, typing: useTyping(view.typingSince) };
}

function useTyping(since: number | undefined): boolean {
  const [over, setOver] = useState<number>();
  useEffect(() => {
    if (since === undefined) return;
    const timer = setTimeout(() => setOver(since), TYPING_MS);
    return () => clearTimeout(timer);
  }, [since]);
  return since !== undefined && over !== since;
}

function follow(
  userId: number,
  seq: number,
  setView: (update: (view: ChatView) => ChatView) => void,
  setConnection: (connection: Connection) => void,
): EventSource {
  const source = new EventSource(chatStreamUrl(userId, seq));
  source.onopen = () => setConnection('live');
  source.onerror = () =>
    setConnection(source.readyState === EventSource.CLOSED ? 'lost' : 'connecting');
  source.onmessage = (message: MessageEvent<string>) => {
    const event = JSON.parse(message.data) as ChatEvent;
    setView((view) => applyEvents(view, [event], true));
  };
  return source;
}
