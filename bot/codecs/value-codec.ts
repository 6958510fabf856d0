import type { UserEvent } from '../../workflows/contract.ts';
import type { Pressed } from './keyboard-codec.ts';

/** A button whose data carries one value: what the value may look like, and its event. */
export interface ValueAction {
  /** Anchored; a value that does not match is refused on both encode and decode. */
  pattern: RegExp;
  event(value: string): UserEvent;
}

export interface ValueCodec<TAction extends string> {
  readonly prefix: string;
  /**
   * Callback data for a button; throws for a value its action does not take, and for a stamp
   * given to an unstamped keyboard or missing from a stamped one.
   */
  encode(action: TAction, value: string, stamp?: string): string;
  /** Null when the data belongs to another keyboard. */
  decode(data: string): Pressed | null;
}

const STAMP = /^[0-9a-z]{1,16}$/i;

/**
 * A keyboard whose buttons carry a value, such as a bank code or a saved destination's id:
 * `<prefix><version>:<action>:<value>`, then `:<stamp>` when `stamped`, at most 64 bytes. The
 * whole shape is checked both ways, so data a client made up, or from an older version,
 * decodes as outdated instead of reaching a machine. Patterns are how this codec keeps amounts
 * out: give no action a pattern an amount would pass for.
 */
export function valueCodec<TAction extends string>(spec: {
  prefix: string;
  version: number;
  stamped: boolean;
  actions: Record<TAction, ValueAction>;
}): ValueCodec<TAction> {
  const head = `${spec.prefix}${spec.version}:`;
  const actions = new Map<string, ValueAction>(Object.entries(spec.actions));
  const fieldCount = spec.stamped ? 3 : 2;

  return {
    prefix: spec.prefix,
    encode(action, value, stamp) {
      if (!actions.get(action)?.pattern.test(value)) {
        throw new Error(`${head}${action} does not take the value ${JSON.stringify(value)}`);
      }
      if (spec.stamped !== (stamp !== undefined)) {
        throw new Error(`${head}${action} takes ${spec.stamped ? 'a' : 'no'} stamp (got ${stamp})`);
      }
      const data =
        stamp === undefined ? `${head}${action}:${value}` : `${head}${action}:${value}:${stamp}`;
      if (Buffer.byteLength(data) > 64) throw new Error(`callback data over 64 bytes: ${data}`);
      return data;
    },
    decode(data) {
      if (!new RegExp(`^${spec.prefix}\\d+:`).test(data)) return null;
      if (!data.startsWith(head) || Buffer.byteLength(data) > 64) return { kind: 'outdated' };

      const fields = data.slice(head.length).split(':');
      const [action = '', value = '', stamp = ''] = fields;
      const known = actions.get(action);
      if (fields.length !== fieldCount || !known?.pattern.test(value)) return { kind: 'outdated' };

      if (!spec.stamped) return { kind: 'event', event: known.event(value) };
      if (!STAMP.test(stamp)) return { kind: 'outdated' };
      return { kind: 'event', event: known.event(value), stamp };
    },
  };
}
