import type { Chat, User } from 'node-telegram-bot-api/types';

import type { ChatEvent, ChatLog, EmulatedMessage, NewChatEvent } from './protocol.ts';
import { Signal } from './signal.ts';

/**
 * A private chat between the bot and one user: the messages it holds now, and the ordered log of
 * everything the user saw happen (`seq` 1, 2, 3, …) so a client can resume after any event.
 * Message ids count up per chat, shared by both sides, as in Telegram.
 */
export class PrivateChat {
  readonly changed = new Signal();
  private readonly messages = new Map<number, EmulatedMessage>();
  private readonly log: ChatEvent[] = [];
  private lastMessageId = 0;

  constructor(public user: User) {}

  get id(): number {
    return this.user.id;
  }

  /** The chat as Telegram describes it inside a Message. */
  get telegramChat(): Chat {
    const { id, first_name, last_name, username } = this.user;
    return { id, type: 'private', first_name, last_name, username };
  }

  get seq(): number {
    return this.log.length;
  }

  nextMessageId(): number {
    return ++this.lastMessageId;
  }

  message(id: number): EmulatedMessage | undefined {
    return this.messages.get(id);
  }

  /** The messages still in the chat, oldest first, as last edited. */
  currentMessages(): EmulatedMessage[] {
    return [...this.messages.values()];
  }

  add(message: EmulatedMessage): void {
    this.messages.set(message.message_id, message);
    this.record({ kind: 'message', from: message.from?.is_bot ? 'bot' : 'user', message });
  }

  replace(message: EmulatedMessage): void {
    this.messages.set(message.message_id, message);
    this.record({ kind: 'edit', message });
  }

  /** Deletes a message; false when the chat has no such message. */
  delete(messageId: number): boolean {
    if (!this.messages.delete(messageId)) return false;
    this.record({ kind: 'delete', message_id: messageId });
    return true;
  }

  record(event: NewChatEvent): void {
    this.log.push({ seq: this.log.length + 1, ...event } as ChatEvent);
    this.changed.emit();
  }

  eventsAfter(after: number): ChatEvent[] {
    return this.log.slice(Math.max(0, after));
  }

  /** The events after `after`; when there are none yet, waits up to `waitMs` for one. */
  async read(after: number, waitMs: number, abort?: AbortSignal): Promise<ChatLog> {
    const fresh = () => (this.seq > after ? this.eventsAfter(after) : undefined);
    const events = (await this.changed.until(fresh, waitMs, abort)) ?? [];
    return { seq: this.seq, events };
  }
}
