import { useEffect, useRef } from 'preact/hooks';

import type { InlineKeyboardButton } from 'node-telegram-bot-api/types';

import type { EmulatedMessage } from '../../emulator/protocol.ts';
import type { ChatView } from './chat-view.ts';
import { MessageText } from './message-text.tsx';

interface MessagesProps {
  view: ChatView;
  onPress(message: EmulatedMessage, button: InlineKeyboardButton): void;
}

/** The chat's messages, oldest first, scrolled to the newest as they arrive. */
export function Messages({ view, onPress }: MessagesProps) {
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [view.seq]);

  return (
    <div class="messages" ref={list} role="log" aria-label="Chat">
      {view.messages.length === 0 && <p class="empty-chat">No messages here yet. Say /start.</p>}
      {view.messages.map((message) => (
        <Message
          key={message.message_id}
          message={message}
          edited={view.edited.has(message.message_id)}
          onPress={onPress}
        />
      ))}
    </div>
  );
}

interface MessageProps {
  message: EmulatedMessage;
  edited: boolean;
  onPress(message: EmulatedMessage, button: InlineKeyboardButton): void;
}

function Message({ message, edited, onPress }: MessageProps) {
  const fromBot = message.from?.is_bot ?? false;
  const rows = message.reply_markup?.inline_keyboard ?? [];

  return (
    <div
      class={`message ${fromBot ? 'incoming' : 'outgoing'}`}
      data-message-id={message.message_id}
      data-from={fromBot ? 'bot' : 'user'}
    >
      <div class="bubble">
        <span class="text">
          <MessageText message={message} />
        </span>
        <span class="meta">
          {edited && 'edited '}
          {timeOf(message.date)}
        </span>
      </div>
      {rows.length > 0 && (
        <div class="keyboard" role="group" aria-label="Buttons">
          {rows.map((row, index) => (
            <div class="keyboard-row" key={index}>
              {row.map((button) => (
                <KeyboardButton
                  key={button.text}
                  button={button}
                  onPress={() => onPress(message, button)}
                />
              ))}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

function KeyboardButton(props: { button: InlineKeyboardButton; onPress(): void }) {
  const { button, onPress } = props;
  if (button.url && /^https?:/i.test(button.url)) {
    return (
      <a class="key" href={button.url} target="_blank" rel="noopener noreferrer">
        {button.text} ↗
      </a>
    );
  }
  return (
    <button
      class="key"
      type="button"
      disabled={button.callback_data === undefined}
      onClick={onPress}
    >
      {button.text}
    </button>
  );
}

const timeOf = (unixSeconds: number) =>
  new Date(unixSeconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
