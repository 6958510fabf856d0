import type { User } from 'node-telegram-bot-api/types';

import { PrivateChat } from './chat.ts';
import { CommandRegistry } from './commands.ts';
import type { UserProfile } from './protocol.ts';
import { UpdateQueue } from './update-queue.ts';
import { WebhookDelivery, type WebhookRetry } from './webhook.ts';

export interface StoreOptions {
  botUsername: string;
  webhookRetry?: WebhookRetry;
}

interface CallbackQueryState {
  chat: PrivateChat;
  answered: boolean;
}

/**
 * Everything the emulator knows, in memory: the bot, the users and their chats, the pending
 * updates and their webhook, open callback queries, and the bot's commands. Lost on restart.
 */
export class EmulatorStore {
  readonly bot: User;
  readonly updates = new UpdateQueue();
  readonly webhook: WebhookDelivery;
  readonly commands = new CommandRegistry();
  private readonly chats = new Map<number, PrivateChat>();
  private readonly callbackQueries = new Map<string, CallbackQueryState>();
  private lastCallbackQueryId = 0;

  constructor(options: StoreOptions) {
    this.bot = {
      id: 7_000_000_001,
      is_bot: true,
      first_name: 'LockBay',
      username: options.botUsername,
    };
    this.webhook = new WebhookDelivery(this.updates, options.webhookRetry);
  }

  /** Creates the user and their private chat, or updates the profile of an existing one. */
  upsertUser(profile: UserProfile): PrivateChat {
    const user: User = { ...profile, is_bot: false };
    const existing = this.chats.get(profile.id);
    if (existing) {
      existing.user = user;
      return existing;
    }

    const chat = new PrivateChat(user);
    this.chats.set(chat.id, chat);
    return chat;
  }

  chat(id: number): PrivateChat | undefined {
    return this.chats.get(id);
  }

  /** Every simulated user, in the order they were created. */
  users(): User[] {
    return [...this.chats.values()].map((chat) => chat.user);
  }

  /** Opens a callback query for a button press and returns its id. */
  openCallbackQuery(chat: PrivateChat): string {
    const id = `${chat.id}${String(++this.lastCallbackQueryId).padStart(6, '0')}`;
    this.callbackQueries.set(id, { chat, answered: false });
    return id;
  }

  /** Marks a callback query answered and returns its chat; `undefined` if unknown or answered. */
  answerCallbackQuery(id: string): PrivateChat | undefined {
    const query = this.callbackQueries.get(id);
    if (!query || query.answered) return undefined;
    query.answered = true;
    return query.chat;
  }

  /** Wakes every long poll and stops webhook deliveries, so the server can close. */
  close(): void {
    this.webhook.stop();
    this.updates.arrived.close();
    for (const chat of this.chats.values()) chat.changed.close();
  }
}
