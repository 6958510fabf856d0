import { z } from 'zod';
import { createHash } from 'node:crypto';
import type { CashoutLimits } from '../machines/cashout-commit.ts';
import type { FlowSettings } from '../workflows/contract.ts';
import type { PayloadKey } from './codec/encryption-codec.ts';

/**
 * Every setting LockBay reads, in one place: environment → typed tree with defaults → checked
 * once at start-up. Workflow code never imports this module; the values it needs travel as
 * workflow arguments (see `flowSettings`).
 */

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const usd = z.string().regex(/^\d{1,6}(\.\d{1,2})?$/, 'a USD amount such as 5 or 5.00');

const telegramIds = z
  .string()
  .default('')
  .transform((list, ctx) => {
    const ids = list
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const bad = ids.filter((id) => !/^\d{1,15}$/.test(id));
    if (bad.length > 0)
      ctx.addIssue({ code: 'custom', message: `not Telegram ids: ${bad.join(', ')}` });
    return ids.map(Number);
  });

const environment = z.object({
  // Telegram bot token from @BotFather. Unset: the bot talks to the local Bot API emulator.
  BOT_TOKEN: optionalText,
  // Bot API origin: a self-hosted Bot API server or an emulator. Default: Telegram, or the
  // local emulator when BOT_TOKEN is unset.
  TELEGRAM_API_ROOT: optionalText,
  // Public HTTPS URL Telegram posts updates to. Unset: long polling.
  TELEGRAM_WEBHOOK_URL: optionalText,
  // Secret Telegram echoes in X-Telegram-Bot-Api-Secret-Token; required with a webhook URL.
  TELEGRAM_WEBHOOK_SECRET: optionalText,
  // Port of the bot's HTTP server (Telegram webhook, provider webhooks).
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  // Port of the local Bot API emulator started when BOT_TOKEN is unset.
  EMULATOR_PORT: z.coerce.number().int().min(1).max(65535).default(8081),
  // Port of the sandbox page (the emulator's users in a browser chat, the dev outbox), served
  // on loopback with the emulator.
  SANDBOX_PAGE_PORT: z.coerce.number().int().min(1).max(65535).default(8090),
  // PostgreSQL URL. Unset: an embedded PostgreSQL under DATA_DIR.
  DATABASE_URL: optionalText,
  // Port of the embedded PostgreSQL.
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  // Temporal frontend host:port. Unset: a Temporal CLI dev server with its data under DATA_DIR.
  TEMPORAL_ADDRESS: optionalText,
  // Temporal namespace the flows run in.
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  // Task queue shared by the worker and the bot.
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('lockbay'),
  // Frontend port of the embedded dev server.
  TEMPORAL_DEV_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  // Port of Temporal UI on the embedded dev server.
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  // Comma-separated Telegram ids of admins.
  ADMIN_TELEGRAM_IDS: telegramIds,
  // 'dev' keeps e-mails under DATA_DIR/outbox; 'smtp' sends them through SMTP_URL.
  MAIL_TRANSPORT: z.enum(['dev', 'smtp']).default('dev'),
  // smtp://user:pass@host:port, used when MAIL_TRANSPORT=smtp.
  SMTP_URL: optionalText,
  // Sender address of LockBay's e-mails.
  MAIL_FROM: z
    .string()
    .regex(/^([^<>]+<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'name@host or Name <name@host>')
    .default('LockBay <no-reply@lockbay.local>'),
  // Key of the keyed hash that turns one-time codes into digests. Required with BOT_TOKEN.
  OTP_SECRET: optionalText,
  // Keys of the payload codec that encrypts what Temporal stores: id:base64(32 bytes),
  // comma-separated, the first encrypts. Required with BOT_TOKEN.
  PAYLOAD_KEYS: optionalText,
  // Port of the codec server Temporal UI uses to show payloads in the clear (npm start).
  CODEC_SERVER_PORT: z.coerce.number().int().min(1).max(65535).default(8234),
  // Public base URL of the bot's HTTP server; providers post webhooks to <it>/webhooks/<name>.
  // Default: http://127.0.0.1:HTTP_PORT, which only local sandboxes can reach.
  PUBLIC_URL: optionalText,
  // Crypto processor (deposit addresses, deposit webhooks): sandbox or blockbee.
  CRYPTO_PROCESSOR: z.enum(['sandbox', 'blockbee']).default('sandbox'),
  BLOCKBEE_API_KEY: optionalText,
  BLOCKBEE_API_ROOT: z.url().default('https://api.blockbee.io'),
  // Crypto payouts (network fees, withdrawals): sandbox or kraken.
  CRYPTO_PAYOUTS: z.enum(['sandbox', 'kraken']).default('sandbox'),
  KRAKEN_API_KEY: optionalText,
  // Kraken's private key (base64), for the request signatures.
  KRAKEN_API_SECRET: optionalText,
  KRAKEN_API_ROOT: z.url().default('https://api.kraken.com'),
  // Nigerian bank rail (banks, account names, payouts, collections): sandbox or fincra.
  NGN_BANK: z.enum(['sandbox', 'fincra']).default('sandbox'),
  FINCRA_SECRET_KEY: optionalText,
  FINCRA_BUSINESS_ID: optionalText,
  // Key Fincra signs its webhooks with (HMAC-SHA512 of the raw body).
  FINCRA_WEBHOOK_SECRET: optionalText,
  FINCRA_API_ROOT: z.url().default('https://api.fincra.com'),
  // Where rates come from: sandbox or coingecko.
  RATE_SOURCE: z.enum(['sandbox', 'coingecko']).default('sandbox'),
  COINGECKO_API_KEY: optionalText,
  COINGECKO_API_ROOT: z.url().default('https://api.coingecko.com/api/v3'),
  // How often the rates schedule runs, and how old a rate may be to price money.
  RATE_REFRESH_SECONDS: seconds(60),
  RATE_MAX_AGE_SECONDS: seconds(300),
  // Key the sandbox providers sign their webhooks with (HMAC-SHA256). Local default.
  SANDBOX_WEBHOOK_SECRET: optionalText,
  // Folder for embedded data: Temporal's SQLite file, PostgreSQL, the dev outbox.
  DATA_DIR: z.string().min(1).default('.data'),
  // pino level: fatal, error, warn, info, debug, trace.
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // A conversation with no input for this long is dropped.
  FLOW_INACTIVITY_SECONDS: seconds(30 * 60),
  // How long an e-mail code stays valid.
  OTP_TTL_SECONDS: seconds(10 * 60),
  // Wrong tries that kill an e-mail code.
  OTP_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  // Wait before another code may be sent.
  OTP_RESEND_COOLDOWN_SECONDS: seconds(60),
  // Codes one person may be sent in an hour.
  OTP_MAX_SENDS_PER_HOUR: z.coerce.number().int().min(1).default(5),
  // Bounds of one cashout, in USD; users without a verified e-mail are capped lower.
  CASHOUT_MIN_USD: usd.default('1'),
  CASHOUT_MAX_USD: usd.default('500'),
  CASHOUT_NO_EMAIL_CAP_USD: usd.default('50'),
  // Cashouts above this wait for an admin's approval before they are paid out.
  CASHOUT_REVIEW_ABOVE_USD: usd.default('250'),
  // The platform's cashout fee: a percentage of the amount, never less than the minimum.
  CASHOUT_FEE_PERCENT: z
    .string()
    .regex(/^\d{1,2}(\.\d{1,2})?$/, 'a percentage such as 2 or 2.5')
    .default('2'),
  CASHOUT_MIN_FEE_USD: usd.default('2'),
  // A payout first waits this long for the provider's webhook before asking it; the wait
  // doubles up to the maximum.
  PAYOUT_POLL_INITIAL_SECONDS: seconds(30),
  PAYOUT_POLL_MAX_SECONDS: seconds(30 * 60),
  // How long a cashout quote's rate holds before it is quoted again.
  CASHOUT_RATE_LOCK_SECONDS: seconds(10 * 60),
  // Trading credit a referred user receives, in USD (a decimal string).
  REFERRAL_BONUS_USD: z
    .string()
    .regex(/^\d{1,6}(\.\d{1,2})?$/, 'a USD amount such as 5 or 5.00')
    .default('5'),
});

/** Rules across settings. They read the raw values, so they report even when a field fails. */
function crossFieldProblems(raw: NodeJS.ProcessEnv): string[] {
  const value = (name: string) => raw[name]?.trim() || undefined;
  const problems: string[] = [];
  const webhookSecret = value('TELEGRAM_WEBHOOK_SECRET');
  const otpSecret = value('OTP_SECRET');

  if (value('TELEGRAM_WEBHOOK_URL') && !webhookSecret) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set');
  }
  if (webhookSecret && !/^[A-Za-z0-9_-]{16,256}$/.test(webhookSecret)) {
    problems.push('TELEGRAM_WEBHOOK_SECRET: 16–256 characters of A–Z, a–z, 0–9, _ and -');
  }
  if (value('BOT_TOKEN') && !otpSecret) problems.push('OTP_SECRET: required when BOT_TOKEN is set');
  if (otpSecret && otpSecret.length < 32) problems.push('OTP_SECRET: at least 32 characters');
  const payloadKeys = value('PAYLOAD_KEYS');
  if (value('BOT_TOKEN') && !payloadKeys)
    problems.push('PAYLOAD_KEYS: required when BOT_TOKEN is set');
  if (payloadKeys && parsePayloadKeys(payloadKeys) === null) {
    problems.push('PAYLOAD_KEYS: id:base64 pairs, comma-separated, each key 32 bytes');
  }
  // Never fail open: a real provider without its secrets does not start.
  const needs: Array<[string, string, string[]]> = [
    ['CRYPTO_PROCESSOR', 'blockbee', ['BLOCKBEE_API_KEY']],
    ['CRYPTO_PAYOUTS', 'kraken', ['KRAKEN_API_KEY', 'KRAKEN_API_SECRET']],
    ['NGN_BANK', 'fincra', ['FINCRA_SECRET_KEY', 'FINCRA_BUSINESS_ID', 'FINCRA_WEBHOOK_SECRET']],
  ];
  for (const [rail, provider, secrets] of needs) {
    if (value(rail) !== provider) continue;
    for (const secret of secrets.filter((name) => !value(name))) {
      problems.push(`${secret}: required when ${rail}=${provider}`);
    }
  }
  if (value('BOT_TOKEN') && !value('SANDBOX_WEBHOOK_SECRET') && usesSandbox(raw)) {
    problems.push('SANDBOX_WEBHOOK_SECRET: required when BOT_TOKEN is set and a rail is a sandbox');
  }
  if (value('MAIL_TRANSPORT') === 'smtp' && !value('SMTP_URL')) {
    problems.push('SMTP_URL: required when MAIL_TRANSPORT=smtp');
  }
  return problems;
}

export type Environment = z.infer<typeof environment>;

/** The settings a flow workflow receives as part of its input. */

export interface Config {
  telegram: {
    token: string | undefined;
    apiRoot: string;
    webhook: { url: string; secret: string } | undefined;
    usesEmulator: boolean;
  };
  http: { port: number };
  emulator: { port: number };
  sandboxPage: { port: number };
  database: { url: string | undefined; embeddedPort: number };
  temporal: {
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    devPort: number;
    uiPort: number;
  };
  admins: number[];
  mail: { transport: 'dev' | 'smtp'; smtpUrl: string | undefined; from: string };
  otp: {
    secret: string;
    ttlSeconds: number;
    maxAttempts: number;
    resendCooldownSeconds: number;
    maxSendsPerHour: number;
  };
  flows: FlowSettings;
  /** Limits the cashout commit enforces (amounts in USD, decimal strings). */
  cashout: CashoutLimits;
  /** The first key encrypts; all decrypt. */
  payloadKeys: PayloadKey[];
  codecServer: { port: number };
  providers: ProviderConfig;
  dataDir: string;
  logLevel: Environment['LOG_LEVEL'];
}

/** `id:base64,…` → keys; null when any pair is malformed. */
function parsePayloadKeys(list: string): PayloadKey[] | null {
  const keys = list.split(',').map((pair) => {
    const [id = '', encoded = ''] = pair.trim().split(':');
    const key = Buffer.from(encoded, 'base64');
    return /^[\w.-]{1,32}$/.test(id) && key.length === 32 ? { id, key } : null;
  });
  return keys.every((key) => key !== null) && keys.length > 0 ? (keys as PayloadKey[]) : null;
}

/** Which provider serves each rail, with its credentials (checked present at start-up). */
export interface ProviderConfig {
  publicUrl: string;
  cryptoProcessor: { kind: 'sandbox' } | { kind: 'blockbee'; apiKey: string; apiRoot: string };
  cryptoPayouts:
    { kind: 'sandbox' } | { kind: 'kraken'; apiKey: string; apiSecret: string; apiRoot: string };
  ngnBank:
    | { kind: 'sandbox' }
    | {
        kind: 'fincra';
        secretKey: string;
        businessId: string;
        webhookSecret: string;
        apiRoot: string;
      };
  rateSource:
    { kind: 'sandbox' } | { kind: 'coingecko'; apiKey: string | undefined; apiRoot: string };
  sandboxWebhookSecret: string;
  rateRefreshSeconds: number;
  rateMaxAgeSeconds: number;
}

/** Thrown once at start-up with every configuration problem found. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `LockBay cannot start; fix these settings (see .env.example):\n- ${problems.join('\n- ')}`,
    );
    this.name = 'ConfigError';
  }
}

// Only for local runs against the emulator, where no real user can reach the bot.
const LOCAL_OTP_SECRET = 'local-development-only-otp-secret-not-for-telegram';
const LOCAL_SANDBOX_WEBHOOK_SECRET = 'local-development-only-sandbox-webhook-secret';

function usesSandbox(raw: NodeJS.ProcessEnv): boolean {
  const rails = ['CRYPTO_PROCESSOR', 'CRYPTO_PAYOUTS', 'NGN_BANK', 'RATE_SOURCE'];
  return rails.some((rail) => (raw[rail]?.trim() || 'sandbox') === 'sandbox');
}

const LOCAL_PAYLOAD_KEY: PayloadKey = {
  id: 'local',
  key: createHash('sha256').update('local-development-only-payload-key').digest(),
};

/** Reads and checks the environment; reports every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse(env);
  const problems = [
    ...(parsed.error?.issues ?? []).map(
      (issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`,
    ),
    ...crossFieldProblems(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const usesEmulator = e.BOT_TOKEN === undefined;

  return {
    telegram: {
      token: e.BOT_TOKEN,
      apiRoot:
        e.TELEGRAM_API_ROOT ??
        (usesEmulator ? `http://127.0.0.1:${e.EMULATOR_PORT}` : 'https://api.telegram.org'),
      webhook:
        e.TELEGRAM_WEBHOOK_URL && e.TELEGRAM_WEBHOOK_SECRET
          ? { url: e.TELEGRAM_WEBHOOK_URL, secret: e.TELEGRAM_WEBHOOK_SECRET }
          : undefined,
      usesEmulator,
    },
    http: { port: e.HTTP_PORT },
    emulator: { port: e.EMULATOR_PORT },
    sandboxPage: { port: e.SANDBOX_PAGE_PORT },
    database: { url: e.DATABASE_URL, embeddedPort: e.EMBEDDED_POSTGRES_PORT },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      devPort: e.TEMPORAL_DEV_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
    },
    admins: e.ADMIN_TELEGRAM_IDS,
    mail: { transport: e.MAIL_TRANSPORT, smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    otp: {
      secret: e.OTP_SECRET ?? LOCAL_OTP_SECRET,
      ttlSeconds: e.OTP_TTL_SECONDS,
      maxAttempts: e.OTP_MAX_ATTEMPTS,
      resendCooldownSeconds: e.OTP_RESEND_COOLDOWN_SECONDS,
      maxSendsPerHour: e.OTP_MAX_SENDS_PER_HOUR,
    },
    flows: {
      inactivityMs: e.FLOW_INACTIVITY_SECONDS * 1000,
      referralBonusUsd: e.REFERRAL_BONUS_USD,
      cashout: {
        rateLockMs: e.CASHOUT_RATE_LOCK_SECONDS * 1000,
        rateMaxAgeMs: e.RATE_MAX_AGE_SECONDS * 1000,
        minUsd: e.CASHOUT_MIN_USD,
        maxUsd: e.CASHOUT_MAX_USD,
        noEmailCapUsd: e.CASHOUT_NO_EMAIL_CAP_USD,
        reviewAboveUsd: e.CASHOUT_REVIEW_ABOVE_USD,
        feePercent: e.CASHOUT_FEE_PERCENT,
        minFeeUsd: e.CASHOUT_MIN_FEE_USD,
      },
      payout: {
        pollInitialMs: e.PAYOUT_POLL_INITIAL_SECONDS * 1000,
        pollMaxMs: e.PAYOUT_POLL_MAX_SECONDS * 1000,
      },
    },
    cashout: {
      minUsd: e.CASHOUT_MIN_USD,
      maxUsd: e.CASHOUT_MAX_USD,
      noEmailCapUsd: e.CASHOUT_NO_EMAIL_CAP_USD,
      reviewAboveUsd: e.CASHOUT_REVIEW_ABOVE_USD,
      codeValidSeconds: e.OTP_TTL_SECONDS,
    },
    payloadKeys: e.PAYLOAD_KEYS ? (parsePayloadKeys(e.PAYLOAD_KEYS) ?? []) : [LOCAL_PAYLOAD_KEY],
    codecServer: { port: e.CODEC_SERVER_PORT },
    providers: {
      publicUrl: e.PUBLIC_URL ?? `http://127.0.0.1:${e.HTTP_PORT}`,
      cryptoProcessor:
        e.CRYPTO_PROCESSOR === 'blockbee'
          ? { kind: 'blockbee', apiKey: e.BLOCKBEE_API_KEY ?? '', apiRoot: e.BLOCKBEE_API_ROOT }
          : { kind: 'sandbox' },
      cryptoPayouts:
        e.CRYPTO_PAYOUTS === 'kraken'
          ? {
              kind: 'kraken',
              apiKey: e.KRAKEN_API_KEY ?? '',
              apiSecret: e.KRAKEN_API_SECRET ?? '',
              apiRoot: e.KRAKEN_API_ROOT,
            }
          : { kind: 'sandbox' },
      ngnBank:
        e.NGN_BANK === 'fincra'
          ? {
              kind: 'fincra',
              secretKey: e.FINCRA_SECRET_KEY ?? '',
              businessId: e.FINCRA_BUSINESS_ID ?? '',
              webhookSecret: e.FINCRA_WEBHOOK_SECRET ?? '',
              apiRoot: e.FINCRA_API_ROOT,
            }
          : { kind: 'sandbox' },
      rateSource:
        e.RATE_SOURCE === 'coingecko'
          ? { kind: 'coingecko', apiKey: e.COINGECKO_API_KEY, apiRoot: e.COINGECKO_API_ROOT }
          : { kind: 'sandbox' },
      sandboxWebhookSecret: e.SANDBOX_WEBHOOK_SECRET ?? LOCAL_SANDBOX_WEBHOOK_SECRET,
      rateRefreshSeconds: e.RATE_REFRESH_SECONDS,
      rateMaxAgeSeconds: e.RATE_MAX_AGE_SECONDS,
    },
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
  };
}
