import type { ReviewDecision, UserEvent } from '../../workflows/contract.ts';

/** What a button press decodes to. */
export type Pressed =
  | { kind: 'event'; event: UserEvent; stamp?: string }
  /** An admin's decision on a cashout: it goes to the payout's workflow, not the chat's. */
  | { kind: 'review'; cashoutId: string; decision: ReviewDecision }
  /** Our prefix, but an older version or an action this version no longer has. */
  | { kind: 'outdated' };

export interface KeyboardCodec<TAction extends string> {
  readonly prefix: string;
  /** Callback data for a button; `stamp` ties it to the screen it was drawn on. */
  encode(action: TAction, stamp?: string): string;
  /** Null when the data belongs to another keyboard. */
  decode(data: string): Pressed | null;
}

/**
 * One keyboard's callback data: `<prefix><version>:<action>[:<stamp>]`, at most 64 bytes.
 * Bump `version` when the meaning of an action changes; old buttons then decode as outdated
 * and are answered politely instead of doing something else.
 */
export function keyboardCodec<TAction extends string>(spec: {
  prefix: string;
  version: number;
  actions: Record<TAction, UserEvent>;
}): KeyboardCodec<TAction> {
  const head = `${spec.prefix}${spec.version}:`;
  const actions = new Map<string, UserEvent>(Object.entries(spec.actions));

  return {
    prefix: spec.prefix,
    encode(action, stamp) {
      const data = stamp ? `${head}${action}:${stamp}` : `${head}${action}`;
      if (Buffer.byteLength(data) > 64) throw new Error(`callback data over 64 bytes: ${data}`);
      return data;
    },
    decode(data) {
      if (!new RegExp(`^${spec.prefix}\\d+:`).test(data)) return null;
      if (!data.startsWith(head)) return { kind: 'outdated' };

      const [action = '', stamp] = data.slice(head.length).split(':');
      const event = actions.get(action);
      if (!event) return { kind: 'outdated' };
      return stamp ? { kind: 'event', event, stamp } : { kind: 'event', event };
    },
  };
}
