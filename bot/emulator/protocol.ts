import type { BotCommand, Message } from 'node-telegram-bot-api/types';

/**
 * The emulator's client-side wire contract (`/client/...`), shared by the server, the typed
 * client and the terminal chat. The Bot API side speaks Telegram's own types instead.
 */

/** A message as the user sees it. `html` is the raw text the bot sent with parse_mode HTML. */
export type EmulatedMessage = Message & { html?: string };

/** One thing the user saw happen in a chat, numbered by `seq` (1, 2, 3, … per chat). */
export type ChatEvent =
  | { seq: number; kind: 'message'; from: 'bot' | 'user'; message: EmulatedMessage }
  | { seq: number; kind: 'edit'; message: EmulatedMessage }
  | { seq: number; kind: 'delete'; message_id: number }
  | {
      seq: number;
      kind: 'callback_answer';
      callback_query_id: string;
      text?: string;
      show_alert: boolean;
    }
  | { seq: number; kind: 'chat_action'; action: string };

type WithoutSeq<E> = E extends unknown ? Omit<E, 'seq'> : never;

/** A chat event before the chat numbers it. */
export type NewChatEvent = WithoutSeq<ChatEvent>;

/** `GET /client/users/:id/chat`: the events after `after`, and the chat's latest `seq`. */
export interface ChatLog {
  seq: number;
  events: ChatEvent[];
}

/** `POST /client/users`: a Telegram user; their private chat has the same id. */
export interface UserProfile {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** `GET /client/users`: every simulated user, oldest first. */
export type UserList = UserProfile[];

/** `POST /client/users/:id/messages`. */
export interface SentMessage {
  update_id: number;
  message_id: number;
}

/** `POST /client/users/:id/press`. */
export interface PressedButton {
  update_id: number;
  callback_query_id: string;
}

/** `GET /client/commands`. */
export type CommandList = BotCommand[];

/** Body of every failed `/client/...` request. */
export interface ClientErrorBody {
  error: string;
}
