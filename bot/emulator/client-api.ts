import type { IncomingMessage, ServerResponse } from 'node:http';

import type { PrivateChat } from './chat.ts';
import { HttpError } from './errors.ts';
import type { Params } from './params.ts';
import { streamChat } from './sse.ts';
import type { EmulatorStore } from './store.ts';
import { userPresses, userSends } from './user-actions.ts';

const MAX_WAIT_MS = 60_000;

/** One `/client/...` request. The handler's return value is the JSON answer. */
export interface ClientCall {
  params: Params;
  store: EmulatorStore;
  abort: AbortSignal;
  req: IncomingMessage;
  res: ServerResponse;
}

type Handler = (call: ClientCall, chat: PrivateChat) => unknown;

const userRoutes = new Map<string, Handler>(
  Object.entries({
    'POST messages': ({ params, store }, chat) =>
      userSends(store, chat, params.string('text'), params.optionalInteger('update_id')),

    'POST press': ({ params, store }, chat) =>
      userPresses(store, chat, params.integer('message_id'), params.string('data')),

    'GET messages': (_call, chat) => chat.currentMessages(),

    'GET chat': ({ params, abort }, chat) => {
      const wait = Math.min(params.optionalInteger('wait') ?? 0, MAX_WAIT_MS);
      return chat.read(params.optionalInteger('after') ?? 0, wait, abort);
    },

    'GET stream': ({ params, req, res }, chat) => {
      const resumeFrom = req.headers['last-event-id'] ?? params.optionalString('after') ?? '0';
      return streamChat(chat, Number(resumeFrom) || 0, res);
    },
  } satisfies Record<string, Handler>),
);

/**
 * Serves the simulated users' side: `GET|POST /client/users`, `GET /client/commands`, and
 * `/client/users/:id/{messages,press,chat,stream}` (see protocol.ts for the shapes).
 */
export async function callClientApi(method: string, path: string, call: ClientCall) {
  if (path === '/client/users' && method === 'POST') return createUser(call);
  if (path === '/client/users' && method === 'GET') return call.store.users();
  if (path === '/client/commands' && method === 'GET') return listCommands(call);

  const [, userId, action] = /^\/client\/users\/(-?\d+)\/([a-z]+)$/.exec(path) ?? [];
  const route = userRoutes.get(`${method} ${action}`);
  if (!userId || !route) {
    throw new HttpError(404, `no route ${method} ${path}; see bot/emulator/client-api.ts`);
  }
  return route(call, userChat(call.store, Number(userId)));
}

function createUser({ params, store }: ClientCall) {
  const id = params.integer('id');
  if (id <= 0) throw new HttpError(400, `user id must be a positive integer, got ${id}`);

  const chat = store.upsertUser({
    id,
    first_name: params.string('first_name'),
    last_name: params.optionalString('last_name'),
    username: params.optionalString('username'),
    language_code: params.optionalString('language_code'),
  });
  return chat.user;
}

function listCommands({ params, store }: ClientCall) {
  return store.commands.get(params.optionalString('scope'), params.optionalString('language_code'));
}

function userChat(store: EmulatorStore, id: number): PrivateChat {
  const chat = store.chat(id);
  if (!chat) throw new HttpError(404, `no user ${id}: create them first with POST /client/users`);
  return chat;
}
