import type { UserEvent } from '../workflows/contract.ts';

interface Command {
  description: string;
  event(param: string | undefined): UserEvent;
}

/**
 * Every command the bot answers, advertised with `setMyCommands`. A command here must work:
 * flows add theirs as they land.
 */
export const commands: Record<string, Command> = {
  start: {
    description: 'Start or resume LockBay',
    event: (param) => ({ type: 'flow.open', flow: 'onboarding', ...(param ? { param } : {}) }),
  },
  menu: { description: 'Main menu', event: () => ({ type: 'flow.open', flow: 'menu' }) },
  wallet: {
    description: 'Balances, cashouts and activity',
    event: () => ({ type: 'flow.open', flow: 'menu', param: 'wallet' }),
  },
  cashout: {
    description: 'Cash out to crypto or a Nigerian bank',
    event: () => ({ type: 'flow.open', flow: 'cashout' }),
  },
  help: {
    description: 'Help and settings',
    event: () => ({ type: 'flow.open', flow: 'menu', param: 'help' }),
  },
  cancel: { description: 'Cancel what you are doing', event: () => ({ type: 'flow.cancel' }) },
};

/** `/name@bot param` → name and param; null for text that is not a command. */
export function parseCommand(text: string): { name: string; param?: string } | null {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+(\S[\s\S]*))?$/.exec(text.trim());
  if (!match) return null;

  const [, name = '', param] = match;
  return param ? { name: name.toLowerCase(), param: param.trim() } : { name: name.toLowerCase() };
}
