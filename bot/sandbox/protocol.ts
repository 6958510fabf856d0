import type { PendingOperation } from './providers.ts';

/**
 * The sandbox page's own wire contract, shared by its server and the page. The chat itself
 * speaks the emulator's client protocol (bot/emulator/protocol.ts) through `/api/emulator/`.
 */

/** `GET /api/sandbox` and each event of `GET /api/sandbox/stream`. */
export interface SandboxSnapshot {
  /** The development mailer's newest e-mails, newest first. */
  mails: OutboxMail[];
  providers: ProviderSnapshot[];
}

/** One e-mail as the development mailer keeps it (`DATA_DIR/outbox/*.json`). */
export interface OutboxMail {
  to: string;
  subject: string;
  text: string;
  /** ISO 8601. */
  sentAt: string;
}

export interface ProviderSnapshot {
  name: string;
  label: string;
  pending: PendingOperation[];
}

/** `GET /api/bot`: who the simulated users are talking to. */
export interface BotProfile {
  first_name: string;
  username?: string;
}

/** Body of every failed `/api/...` request. */
export interface ApiErrorBody {
  error: string;
}
