/**
 * What a payment provider's sandbox shows on the sandbox page: the deposits and payouts waiting
 * for the provider, each with the outcomes a tester may choose (a deposit arrives, a payout
 * fails, …). A provider adapter that has a sandbox implements this; the page lists every
 * provider it is given and offers each operation's actions as buttons.
 */
export interface SandboxProvider {
  /** Short stable name, used in URLs: `[a-z0-9-]+`. */
  readonly name: string;
  /** What the page shows as the provider's title. */
  readonly label: string;
  /** The operations still waiting for the provider, oldest first. */
  pending(): Promise<PendingOperation[]>;
  /**
   * Carries out `action` (one of the operation's `actions`) on operation `operationId`, with
   * what a person typed (`npm run sandbox -- pay <reference> <amount>`); may return a short note
   * on what happened, for the person.
   */
  act(operationId: string, action: string, input?: ActionInput): Promise<string | void>;
  /** Calls `listener` whenever `pending()` may have changed; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/** What a person may add to an action; without it, the action picks its own values. */
export interface ActionInput {
  /** A decimal amount in the operation's currency. */
  amount?: string;
}

/** One deposit or payout waiting in a provider's sandbox. Amounts are decimal strings. */
export interface PendingOperation {
  id: string;
  kind: 'deposit' | 'payout';
  amount: string;
  currency: string;
  /** Who or what it is for, as a tester recognises it (an address, an account, a user). */
  reference: string;
  createdAt: string;
  actions: Array<{ name: string; label: string }>;
}
