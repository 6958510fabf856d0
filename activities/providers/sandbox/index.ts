/**
 * The sandbox payment rails: in-memory providers that sign and send webhooks like real ones.
 * Build one `SandboxRails` per process with `createSandboxRails`.
 */
export { isBase58Check, isBech32, sandboxAddress } from './addresses.ts';
export { sandboxNetworkFees, SandboxCryptoPayouts } from './crypto-payouts.ts';
export {
  depositLimits,
  SandboxCryptoProcessor,
  type PayOptions,
  type SandboxDepositAddress,
  type SandboxPayment,
  type SandboxTransaction,
} from './crypto-processor.ts';
export {
  sandboxBanks,
  SandboxNgnBank,
  UNKNOWN_ACCOUNT,
  type SandboxCollection,
} from './ngn-bank.ts';
export type { PayoutOutcome, SandboxPayout, ScriptedPayout, SettleOptions } from './payout-book.ts';
export {
  createSandboxRails,
  SandboxRails,
  sandboxWebhookUrl,
  usesSandboxRails,
  type SandboxRailsOptions,
} from './rails.ts';
export { sandboxRates, SandboxRateSource } from './rates.ts';
export { SandboxError } from './runtime.ts';
export type { Delivery, DeliveryOptions } from './webhook-sender.ts';
export {
  SANDBOX_PROVIDER,
  SANDBOX_SIGNATURE_HEADER,
  sandboxWebhookBody,
  SandboxWebhookSource,
  signSandboxBody,
  type SandboxEvent,
  type SandboxWebhookBody,
} from './webhook-source.ts';
