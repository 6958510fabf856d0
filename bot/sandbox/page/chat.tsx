import { useCallback, useEffect, useState } from 'preact/hooks';

import type { BotCommand, InlineKeyboardButton } from 'node-telegram-bot-api/types';

import type { EmulatedMessage, UserProfile } from '../../emulator/protocol.ts';
import type { BotProfile } from '../protocol.ts';
import { api } from './api.ts';
import { Composer } from './composer.tsx';
import { Messages } from './messages.tsx';
import { Notices } from './notices.tsx';
import { type Connection, useChat } from './use-chat.ts';

const CONNECTION_LABELS: Record<Connection, string> = {
  connecting: 'connecting…',
  live: 'bot',
  lost: 'lost the emulator: is npm start running? Reload to retry.',
};

interface ChatProps {
  user: UserProfile;
  bot: BotProfile | undefined;
  onSwitchUser(): void;
}

/** One simulated user's private chat with the bot, as Telegram shows it. */
export function Chat({ user, bot, onSwitchUser }: ChatProps) {
  const { view, connection, typing } = useChat(user.id);
  const [commands, setCommands] = useState<BotCommand[]>([]);
  const [failure, setFailure] = useState<string>();

  const report = (error: unknown) =>
    setFailure(error instanceof Error ? error.message : String(error));
  const loadCommands = useCallback(() => {
    api.commands(user.id).then(setCommands, report);
  }, [user.id]);
  useEffect(loadCommands, [loadCommands]);

  const send = (text: string) => void api.send(user.id, text).catch(report);
  const press = (message: EmulatedMessage, button: InlineKeyboardButton) => {
    if (button.callback_data === undefined) return;
    api.press(user.id, message.message_id, button.callback_data).catch(report);
  };

  return (
    <section class="chat" aria-label={`Chat of ${user.first_name}`}>
      <header class="chat-header">
        <div class="avatar" aria-hidden="true">
          {(bot?.first_name ?? 'B').slice(0, 1)}
        </div>
        <div class="title">
          <strong>{bot?.first_name ?? 'Bot'}</strong>
          <span class={`status ${connection}`}>
            {typing ? 'typing…' : CONNECTION_LABELS[connection]}
          </span>
        </div>
        <div class="you">
          <span>
            You are <strong>{user.first_name}</strong> · {user.id}
          </span>
          <button type="button" class="link-button" onClick={onSwitchUser}>
            Switch user
          </button>
        </div>
      </header>
      <Messages view={view} onPress={press} />
      <Notices
        notice={view.notice}
        failure={failure}
        onDismissFailure={() => setFailure(undefined)}
      />
      <Composer commands={commands} onSend={send} onMenu={loadCommands} />
    </section>
  );
}
