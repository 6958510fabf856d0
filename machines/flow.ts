import { fromPromise, getNextTransitions, type AnyMachineSnapshot, type StateValue } from 'xstate';

/** Every flow LockBay runs as a conversation. Each has a machine here and a workflow. */
export const FLOW_NAMES = ['onboarding', 'menu', 'addFunds', 'cashout'] as const;
export type FlowName = (typeof FLOW_NAMES)[number];

/** Opens a flow: a command, a menu button or a deep link. It always starts a fresh run. */
export interface FlowOpened {
  type: 'flow.open';
  flow: FlowName;
  param?: string;
}

/** Ends the running flow through its own cancel transition. Every flow accepts it. */
export interface FlowCancelled {
  type: 'flow.cancel';
}

/** Free text the user typed. Never a one-time code: those arrive as `code.entered`. */
export interface TextEntered {
  type: 'text.entered';
  text: string;
}

/**
 * Six digits the user typed, as a keyed digest made by the bot, so that no code reaches
 * workflow history in the clear. A flow that expects other input treats it as a mistake.
 */
export interface CodeEntered {
  type: 'code.entered';
  digest: string;
}

export interface StepBack {
  type: 'step.back';
}

/** Who is talking and what the flow is allowed to know about the deployment. */
export interface ChatParty {
  chatId: number;
  telegramUserId: number;
  username?: string;
  firstName: string;
}

/** A message the machine wants shown with the screen: a mistake, a refusal, a hint. */
export interface Notice {
  code: string;
  values?: Record<string, string | number>;
}

/**
 * What the user sees now: small and serializable, rendered by bot/views. `flow` may name
 * another flow than the one running (onboarding ends on the main menu).
 */
export interface Screen {
  flow: FlowName;
  state: string;
  data: Record<string, unknown>;
  notice?: Notice | null;
}

/** `{ code: { entry: 'idle' } }` → `code.entry.idle`; parallel regions joined by `+`. */
export function stateName(value: StateValue): string {
  if (typeof value === 'string') return value;

  return Object.entries(value)
    .map(([key, child]) => (child === undefined ? key : `${key}.${stateName(child)}`))
    .join('+');
}

/** The user events the snapshot can take now, for error messages that list them. */
export function acceptedEvents(snapshot: AnyMachineSnapshot): string[] {
  const types = getNextTransitions(snapshot).map((transition) => transition.eventType);

  return [...new Set(types)].filter((type) => !type.startsWith('xstate.') && type !== '*');
}

/**
 * Declares an actor whose work is I/O: the machine names it and its types, the workflow
 * provides the activity call. Running the machine without providing it fails loudly.
 */
export function providedByHost<TOutput, TInput>(name: string) {
  return fromPromise<TOutput, TInput>(async () => {
    throw new Error(`actor "${name}" is I/O: provide it with machine.provide({ actors })`);
  });
}
