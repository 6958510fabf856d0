import type { BotCommand } from 'node-telegram-bot-api/types';

import { badRequest } from './errors.ts';

const DEFAULT_SCOPE = 'default';

/**
 * What setMyCommands stored, per scope and language. A scope's key is its JSON with sorted keys
 * (`{"chat_id":1,"type":"chat"}`), or `default` for the default scope; a language adds `:xx`.
 */
export class CommandRegistry {
  private readonly byScope = new Map<string, BotCommand[]>();

  set(commands: BotCommand[], scope: unknown, languageCode?: string): void {
    this.byScope.set(scopeKey(scope, languageCode), commands);
  }

  get(scope: unknown, languageCode?: string): BotCommand[] {
    return this.byScope.get(scopeKey(scope, languageCode)) ?? [];
  }

  delete(scope: unknown, languageCode?: string): void {
    this.byScope.delete(scopeKey(scope, languageCode));
  }
}

/** Checks setMyCommands' `commands` as Telegram does. */
export function checkCommands(commands: unknown): BotCommand[] {
  if (!Array.isArray(commands)) throw badRequest('field "commands" must be an Array');
  if (commands.length > 100) throw badRequest('too many commands: at most 100');

  for (const entry of commands as Partial<BotCommand>[]) {
    if (typeof entry?.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(entry.command)) {
      throw badRequest(`BOT_COMMAND_INVALID: "${entry?.command}" must be 1–32 of a–z, 0–9, _`);
    }
    const length = typeof entry.description === 'string' ? entry.description.length : 0;
    if (length < 1 || length > 256) throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
  }
  return commands as BotCommand[];
}

/** A scope as setMyCommands takes it (object or JSON text, absent = default) → its key. */
export function scopeKey(scope: unknown, languageCode?: string): string {
  const parsed = typeof scope === 'string' && scope !== DEFAULT_SCOPE ? parseScope(scope) : scope;
  const isDefault =
    parsed === undefined ||
    parsed === DEFAULT_SCOPE ||
    (typeof parsed === 'object' &&
      parsed !== null &&
      'type' in parsed &&
      parsed.type === 'default');

  const key = isDefault ? DEFAULT_SCOPE : JSON.stringify(sortKeys(parsed));
  return languageCode ? `${key}:${languageCode}` : key;
}

function parseScope(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest(`can't parse scope JSON object: ${text}`);
  }
}

function sortKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
