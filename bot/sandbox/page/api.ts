import type {
  ChatLog,
  CommandList,
  PressedButton,
  SentMessage,
  UserList,
  UserProfile,
} from '../../emulator/protocol.ts';
import type { ApiErrorBody, BotProfile } from '../protocol.ts';

/** A request the page's server refused; the message is the server's explanation. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
  const response = await fetch(path, {
    method,
    ...(body && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const payload = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const detail = (payload as ApiErrorBody | null)?.error ?? response.statusText;
    throw new ApiError(response.status, detail);
  }
  return payload as T;
}

const userPath = (userId: number, action: string) => `/api/emulator/users/${userId}/${action}`;

// Telegram shows the narrowest scope that has commands: this chat, private chats, everyone.
const commandScopes = (chatId: number) => [
  { type: 'chat', chat_id: chatId },
  { type: 'all_private_chats' },
  { type: 'default' },
];

/** The page's server: the emulator's client side under `/api/emulator/`, and its own routes. */
export const api = {
  bot: () => call<BotProfile>('GET', '/api/bot'),
  users: () => call<UserList>('GET', '/api/emulator/users'),
  createUser: (profile: UserProfile) => call<UserProfile>('POST', '/api/emulator/users', profile),
  chatLog: (userId: number) => call<ChatLog>('GET', userPath(userId, 'chat')),
  send: (userId: number, text: string) =>
    call<SentMessage>('POST', userPath(userId, 'messages'), { text }),
  press: (userId: number, messageId: number, data: string) =>
    call<PressedButton>('POST', userPath(userId, 'press'), { message_id: messageId, data }),

  async commands(chatId: number): Promise<CommandList> {
    for (const scope of commandScopes(chatId)) {
      const query = encodeURIComponent(JSON.stringify(scope));
      const commands = await call<CommandList>('GET', `/api/emulator/commands?scope=${query}`);
      if (commands.length > 0) return commands;
    }
    return [];
  },

  act(provider: string, operation: string, action: string) {
    const path = [provider, 'operations', operation, action].map(encodeURIComponent).join('/');
    return call<unknown>('POST', `/api/sandbox/providers/${path}`, {});
  },
};

/** Server-sent events of the chat's log after `seq`, live. */
export const chatStreamUrl = (userId: number, seq: number) =>
  `${userPath(userId, 'stream')}?after=${seq}`;

export const SANDBOX_STREAM_URL = '/api/sandbox/stream';
