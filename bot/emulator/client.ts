import type { InlineKeyboardButton } from 'node-telegram-bot-api/types';

import { findButton } from './keyboard.ts';
import type {
  ChatLog,
  ClientErrorBody,
  CommandList,
  EmulatedMessage,
  PressedButton,
  SentMessage,
  UserList,
  UserProfile,
} from './protocol.ts';
import { describeButtons, describeTranscript } from './transcript.ts';

/** The emulator refused a client request; `status` and the server's explanation are kept. */
export class EmulatorRequestError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    detail: string,
  ) {
    super(`emulator answered ${status} to ${path}: ${detail}`);
    this.name = 'EmulatorRequestError';
  }
}

/** Typed access to an emulator's `/client/` side, for tests and the terminal chat. */
export class EmulatorClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** A simulated user, created on the emulator at their first request. */
  user(id: number, profile: Partial<Omit<UserProfile, 'id'>> = {}): ChatUser {
    return new ChatUser(this, { first_name: `User ${id}`, ...profile, id });
  }

  /** Every simulated user the emulator knows, oldest first. */
  users(): Promise<UserList> {
    return this.request('GET', '/client/users');
  }

  /** What setMyCommands stored for `scope` (a BotCommandScope or its JSON; default scope). */
  commands(scope?: object | string): Promise<CommandList> {
    const query = scope === undefined ? '' : `?scope=${encodeURIComponent(asText(scope))}`;
    return this.request('GET', `/client/commands${query}`);
  }

  /** Calls the emulator; fails with EmulatorRequestError on any non-2xx answer. */
  async request<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      ...(body && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const payload = (await response.json()) as unknown;
    if (!response.ok) {
      throw new EmulatorRequestError(response.status, path, (payload as ClientErrorBody).error);
    }
    return payload as T;
  }
}

/** One simulated Telegram user talking to the bot in their private chat. */
export class ChatUser {
  private registration: Promise<void> | undefined;

  constructor(
    private readonly client: EmulatorClient,
    readonly profile: UserProfile,
  ) {}

  get id(): number {
    return this.profile.id;
  }

  /** Creates (or updates) the user on the emulator. Other methods call it once by themselves. */
  register(): Promise<void> {
    this.registration ??= this.client.request('POST', '/client/users', this.profile).then(
      () => undefined,
      (error: unknown) => {
        this.registration = undefined;
        throw error;
      },
    );
    return this.registration;
  }

  /** Registers again, e.g. after the emulator restarted and forgot its users. */
  reconnect(): Promise<void> {
    this.registration = undefined;
    return this.register();
  }

  /** Types `text` (commands included). `updateId` of an earlier update redelivers it. */
  async send(text: string, options: { updateId?: number } = {}): Promise<SentMessage> {
    return this.call('POST', 'messages', { text, update_id: options.updateId });
  }

  /** Taps the button with callback data `data` on bot message `messageId`. */
  async press(messageId: number, data: string): Promise<PressedButton> {
    return this.call('POST', 'press', { message_id: messageId, data });
  }

  /** Taps the button labelled `label` on the newest bot message that has one. */
  async pressButton(label: string | RegExp): Promise<PressedButton> {
    const matches = (button: InlineKeyboardButton) =>
      button.callback_data !== undefined &&
      (typeof label === 'string' ? button.text === label : label.test(button.text));
    const found = findButton(await this.messages(), matches);
    if (!found) {
      throw new Error(
        `user ${this.id} sees no button ${String(label)}.\n${await this.transcript()}`,
      );
    }
    return this.press(found.message.message_id, found.button.callback_data as string);
  }

  /** The chat's events after `after`; with `waitMs`, waits that long for the first new one. */
  events(after = 0, waitMs = 0): Promise<ChatLog> {
    return this.call('GET', `chat?after=${after}&wait=${waitMs}`);
  }

  /** The messages in the chat now, oldest first, edits applied and deletions gone. */
  messages(): Promise<EmulatedMessage[]> {
    return this.call('GET', 'messages');
  }

  async lastBotMessage(): Promise<EmulatedMessage | undefined> {
    return (await this.messages()).findLast((message) => message.from?.is_bot);
  }

  /**
   * Waits until the newest bot message satisfies `predicate` and returns it. Sleeps on the
   * emulator's long poll between checks. On timeout, throws with the chat's transcript.
   */
  async waitFor(
    predicate: (message: EmulatedMessage) => boolean,
    timeoutMs = 5_000,
  ): Promise<EmulatedMessage> {
    const deadline = Date.now() + timeoutMs;
    let seq = 0;

    for (;;) {
      const remaining = Math.max(0, deadline - Date.now());
      seq = (await this.events(seq, seq === 0 ? 0 : remaining)).seq;
      const newest = await this.lastBotMessage();
      if (newest && predicate(newest)) return newest;
      if (remaining === 0) {
        throw new Error(
          `user ${this.id}: no bot message matched within ${timeoutMs} ms; the newest is ` +
            `${newest ? JSON.stringify(newest.text) : 'none'} ${newest ? describeButtons(newest) : ''}` +
            `\n--- chat transcript ---\n${await this.transcript()}`,
        );
      }
    }
  }

  /** The whole chat as readable lines (see transcript.ts). */
  async transcript(): Promise<string> {
    return describeTranscript((await this.events()).events);
  }

  private async call<T>(method: 'GET' | 'POST', action: string, body?: object): Promise<T> {
    await this.register();
    return this.client.request<T>(method, `/client/users/${this.id}/${action}`, body);
  }
}

const asText = (scope: object | string) =>
  typeof scope === 'string' ? scope : JSON.stringify(scope);
