import { EntitySchema } from 'typeorm';

/**
 * Table mappings for repositories and fixtures. Schema changes go through migrations, never
 * `synchronize`; conversation steps use the hand-written statements in activities/.
 */

export interface UserRow {
  id: string;
  telegramId: string;
  username: string | null;
  firstName: string;
  role: 'user' | 'admin';
  blocked: boolean;
  email: string | null;
  emailVerifiedAt: Date | null;
  referralCode: string;
  referrerId: string | null;
  termsAcceptedAt: Date | null;
  onboardedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface EmailCodeRow {
  id: string;
  userId: string;
  email: string;
  codeHash: string;
  idempotencyKey: string;
  attempts: number;
  attemptKeys: string[];
  expiresAt: Date;
  verifiedAt: Date | null;
  supersededAt: Date | null;
  createdAt: Date;
}

const timestamps = {
  createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
} as const;

export const UserEntity = new EntitySchema<UserRow>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { name: 'id', type: 'bigint', primary: true, generated: 'increment' },
    telegramId: { name: 'telegram_id', type: 'bigint', unique: true },
    username: { name: 'username', type: 'text', nullable: true },
    firstName: { name: 'first_name', type: 'text', default: '' },
    role: { name: 'role', type: 'text', default: 'user' },
    blocked: { name: 'blocked', type: 'boolean', default: false },
    email: { name: 'email', type: 'text', nullable: true },
    emailVerifiedAt: { name: 'email_verified_at', type: 'timestamptz', nullable: true },
    referralCode: { name: 'referral_code', type: 'text', unique: true },
    referrerId: { name: 'referrer_id', type: 'bigint', nullable: true },
    termsAcceptedAt: { name: 'terms_accepted_at', type: 'timestamptz', nullable: true },
    onboardedAt: { name: 'onboarded_at', type: 'timestamptz', nullable: true },
    ...timestamps,
    updatedAt: { name: 'updated_at', type: 'timestamptz', updateDate: true },
  },
  checks: [
    { name: 'ck_users_role', expression: `role IN ('user', 'admin')` },
    { name: 'ck_users_not_own_referrer', expression: 'referrer_id <> id' },
  ],
  indices: [
    { name: 'ix_users_referrer_id', columns: ['referrerId'] },
    // The unique index on lower(email) is an expression index TypeORM cannot describe; it
    // lives in the migration, and `synchronize: false` keeps it.
  ],
  foreignKeys: [
    {
      name: 'fk_users_referrer',
      target: 'User',
      columnNames: ['referrerId'],
      referencedColumnNames: ['id'],
    },
  ],
});

export const EmailCodeEntity = new EntitySchema<EmailCodeRow>({
  name: 'EmailCode',
  tableName: 'email_codes',
  columns: {
    id: { name: 'id', type: 'uuid', primary: true, generated: 'uuid' },
    userId: { name: 'user_id', type: 'bigint' },
    email: { name: 'email', type: 'text' },
    codeHash: { name: 'code_hash', type: 'text' },
    idempotencyKey: { name: 'idempotency_key', type: 'text', unique: true },
    attempts: { name: 'attempts', type: 'integer', default: 0 },
    attemptKeys: { name: 'attempt_keys', type: 'text', array: true, default: () => "'{}'" },
    expiresAt: { name: 'expires_at', type: 'timestamptz' },
    verifiedAt: { name: 'verified_at', type: 'timestamptz', nullable: true },
    supersededAt: { name: 'superseded_at', type: 'timestamptz', nullable: true },
    ...timestamps,
  },
  checks: [{ name: 'ck_email_codes_attempts', expression: 'attempts >= 0' }],
  indices: [{ name: 'ix_email_codes_user_created', columns: ['userId', 'createdAt'] }],
  foreignKeys: [
    {
      name: 'fk_email_codes_user',
      target: 'User',
      columnNames: ['userId'],
      referencedColumnNames: ['id'],
    },
  ],
});

export interface LedgerAccountRow {
  id: string;
  ownerUserId: string | null;
  systemCode: string | null;
  currency: string;
  bucket: 'available' | 'held' | 'trading_credit' | 'system';
  allowNegative: boolean;
  balance: string;
  createdAt: Date;
}

export interface LedgerTransferRow {
  id: string;
  kind: string;
  idempotencyKey: string;
  description: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

export interface LedgerEntryRow {
  id: string;
  transferId: string;
  accountId: string;
  currency: string;
  amount: string;
}

export interface LedgerHoldRow {
  id: string;
  idempotencyKey: string;
  availableAccountId: string;
  heldAccountId: string;
  currency: string;
  amount: string;
  status: 'pending' | 'posted' | 'voided';
  holdTransferId: string;
  settleTransferId: string | null;
  createdAt: Date;
  settledAt: Date | null;
}

const money = { type: 'numeric', precision: 38, scale: 18 } as const;
const ledgerCurrencies = `currency IN ('USD', 'NGN', 'BTC', 'ETH', 'LTC', 'USDT')`;

// The constraint trigger tg_ledger_entries_balanced and its function live in the migration:
// TypeORM neither describes nor compares triggers.
export const LedgerAccountEntity = new EntitySchema<LedgerAccountRow>({
  name: 'LedgerAccount',
  tableName: 'ledger_accounts',
  columns: {
    id: { name: 'id', type: 'bigint', primary: true, generated: 'increment' },
    ownerUserId: { name: 'owner_user_id', type: 'bigint', nullable: true },
    systemCode: { name: 'system_code', type: 'text', nullable: true },
    currency: { name: 'currency', type: 'text' },
    bucket: { name: 'bucket', type: 'text' },
    allowNegative: { name: 'allow_negative', type: 'boolean', default: false },
    balance: { name: 'balance', ...money, default: 0 },
    ...timestamps,
  },
  checks: [
    { name: 'ck_ledger_accounts_currency', expression: ledgerCurrencies },
    {
      name: 'ck_ledger_accounts_bucket',
      expression: `bucket IN ('available', 'held', 'trading_credit', 'system')`,
    },
    { name: 'ck_ledger_accounts_balance', expression: 'allow_negative OR balance >= 0' },
    {
      name: 'ck_ledger_accounts_owner',
      expression: `(owner_user_id IS NOT NULL AND system_code IS NULL AND bucket <> 'system' AND NOT allow_negative)
        OR (owner_user_id IS NULL AND system_code IS NOT NULL AND bucket = 'system')`,
    },
  ],
  uniques: [
    { name: 'uq_ledger_accounts_owner', columns: ['ownerUserId', 'currency', 'bucket'] },
    { name: 'uq_ledger_accounts_system', columns: ['systemCode', 'currency'] },
  ],
  foreignKeys: [
    {
      name: 'fk_ledger_accounts_owner',
      target: 'User',
      columnNames: ['ownerUserId'],
      referencedColumnNames: ['id'],
    },
  ],
});

export const LedgerTransferEntity = new EntitySchema<LedgerTransferRow>({
  name: 'LedgerTransfer',
  tableName: 'ledger_transfers',
  columns: {
    id: { name: 'id', type: 'bigint', primary: true, generated: 'increment' },
    kind: { name: 'kind', type: 'text' },
    idempotencyKey: { name: 'idempotency_key', type: 'text', unique: true },
    description: { name: 'description', type: 'text', default: '' },
    metadata: { name: 'metadata', type: 'jsonb' },
    ...timestamps,
  },
  indices: [{ name: 'ix_ledger_transfers_kind', columns: ['kind'] }],
});

export const LedgerEntryEntity = new EntitySchema<LedgerEntryRow>({
  name: 'LedgerEntry',
  tableName: 'ledger_entries',
  columns: {
    id: { name: 'id', type: 'bigint', primary: true, generated: 'increment' },
    transferId: { name: 'transfer_id', type: 'bigint' },
    accountId: { name: 'account_id', type: 'bigint' },
    currency: { name: 'currency', type: 'text' },
    amount: { name: 'amount', ...money },
  },
  checks: [{ name: 'ck_ledger_entries_amount', expression: 'amount <> 0' }],
  indices: [
    { name: 'ix_ledger_entries_account', columns: ['accountId', 'transferId'] },
    { name: 'ix_ledger_entries_transfer', columns: ['transferId'] },
  ],
  foreignKeys: [
    {
      name: 'fk_ledger_entries_transfer',
      target: 'LedgerTransfer',
      columnNames: ['transferId'],
      referencedColumnNames: ['id'],
    },
    {
      name: 'fk_ledger_entries_account',
      target: 'LedgerAccount',
      columnNames: ['accountId'],
      referencedColumnNames: ['id'],
    },
  ],
});

export const LedgerHoldEntity = new EntitySchema<LedgerHoldRow>({
  name: 'LedgerHold',
  tableName: 'ledger_holds',
  columns: {
    id: { name: 'id', type: 'bigint', primary: true, generated: 'increment' },
    idempotencyKey: { name: 'idempotency_key', type: 'text', unique: true },
    availableAccountId: { name: 'available_account_id', type: 'bigint' },
    heldAccountId: { name: 'held_account_id', type: 'bigint' },
    currency: { name: 'currency', type: 'text' },
    amount: { name: 'amount', ...money },
    status: { name: 'status', type: 'text', default: 'pending' },
    holdTransferId: { name: 'hold_transfer_id', type: 'bigint', unique: true },
    settleTransferId: { name: 'settle_transfer_id', type: 'bigint', nullable: true, unique: true },
    ...timestamps,
    settledAt: { name: 'settled_at', type: 'timestamptz', nullable: true },
  },
  checks: [
    { name: 'ck_ledger_holds_amount', expression: 'amount > 0' },
    { name: 'ck_ledger_holds_status', expression: `status IN ('pending', 'posted', 'voided')` },
    {
      name: 'ck_ledger_holds_settled',
      expression: `(status = 'pending' AND settle_transfer_id IS NULL AND settled_at IS NULL)
        OR (status <> 'pending' AND settle_transfer_id IS NOT NULL AND settled_at IS NOT NULL)`,
    },
  ],
  foreignKeys: [
    {
      name: 'fk_ledger_holds_available_account',
      target: 'LedgerAccount',
      columnNames: ['availableAccountId'],
      referencedColumnNames: ['id'],
    },
    {
      name: 'fk_ledger_holds_held_account',
      target: 'LedgerAccount',
      columnNames: ['heldAccountId'],
      referencedColumnNames: ['id'],
    },
    {
      name: 'fk_ledger_holds_hold_transfer',
      target: 'LedgerTransfer',
      columnNames: ['holdTransferId'],
      referencedColumnNames: ['id'],
    },
    {
      name: 'fk_ledger_holds_settle_transfer',
      target: 'LedgerTransfer',
      columnNames: ['settleTransferId'],
      referencedColumnNames: ['id'],
    },
  ],
});

export interface RateRow {
  base: string;
  quote: string;
  rate: string;
  source: string;
  observedAt: Date;
  fetchedAt: Date;
}

export const RateEntity = new EntitySchema<RateRow>({
  name: 'Rate',
  tableName: 'rates',
  columns: {
    base: { name: 'base', type: 'text', primary: true, primaryKeyConstraintName: 'pk_rates' },
    quote: { name: 'quote', type: 'text', primary: true, primaryKeyConstraintName: 'pk_rates' },
    rate: { name: 'rate', type: 'numeric', precision: 38, scale: 18 },
    source: { name: 'source', type: 'text' },
    observedAt: { name: 'observed_at', type: 'timestamptz' },
    fetchedAt: { name: 'fetched_at', type: 'timestamptz', default: () => 'now()' },
  },
  checks: [{ name: 'ck_rates_rate', expression: 'rate > 0' }],
});

export interface DepositRow {
  id: string;
  userId: string;
  asset: string;
  provider: string;
  address: string;
  minimum: string;
  expiresAt: Date;
  idempotencyKey: string;
  createdAt: Date;
}

export const DepositEntity = new EntitySchema<DepositRow>({
  name: 'Deposit',
  tableName: 'deposits',
  columns: {
    id: {
      name: 'id',
      type: 'uuid',
      primary: true,
      generated: 'uuid',
      primaryKeyConstraintName: 'pk_deposits',
    },
    userId: { name: 'user_id', type: 'bigint' },
    asset: { name: 'asset', type: 'text' },
    provider: { name: 'provider', type: 'text' },
    address: { name: 'address', type: 'text' },
    minimum: { name: 'minimum', type: 'numeric', precision: 38, scale: 18 },
    expiresAt: { name: 'expires_at', type: 'timestamptz' },
    idempotencyKey: { name: 'idempotency_key', type: 'text', unique: true },
    createdAt: { name: 'created_at', type: 'timestamptz', createDate: true },
  },
  checks: [
    {
      name: 'ck_deposits_asset',
      expression: `asset IN ('BTC', 'ETH', 'LTC', 'USDT_TRC20', 'USDT_ERC20')`,
    },
  ],
  indices: [{ name: 'ix_deposits_user', columns: ['userId', 'createdAt'] }],
  foreignKeys: [
    {
      name: 'fk_deposits_user',
      target: 'User',
      columnNames: ['userId'],
      referencedColumnNames: ['id'],
    },
  ],
});

export interface ProviderEventRow {
  id: string;
  provider: string;
  eventId: string;
  kind: 'deposit' | 'payout' | 'collection';
  reference: string;
  /** The normalised `ProviderEvent`, as the webhook's source parsed it. */
  payload: Record<string, unknown>;
  status: 'received' | 'dispatched' | 'unmatched';
  receivedAt: Date;
  handledAt: Date | null;
}

export const ProviderEventEntity = new EntitySchema<ProviderEventRow>({
  name: 'ProviderEvent',
  tableName: 'provider_events',
  columns: {
    id: { name: 'id', type: 'bigint', primary: true, generated: 'increment' },
    provider: { name: 'provider', type: 'text' },
    eventId: { name: 'event_id', type: 'text' },
    kind: { name: 'kind', type: 'text' },
    reference: { name: 'reference', type: 'text' },
    payload: { name: 'payload', type: 'jsonb' },
    status: { name: 'status', type: 'text', default: 'received' },
    receivedAt: { name: 'received_at', type: 'timestamptz', createDate: true },
    handledAt: { name: 'handled_at', type: 'timestamptz', nullable: true },
  },
  checks: [
    { name: 'ck_provider_events_kind', expression: `kind IN ('deposit', 'payout', 'collection')` },
    {
      name: 'ck_provider_events_status',
      expression: `status IN ('received', 'dispatched', 'unmatched')`,
    },
    {
      name: 'ck_provider_events_handled',
      expression: `(status = 'received') = (handled_at IS NULL)`,
    },
  ],
  uniques: [{ name: 'uq_provider_events_provider_event', columns: ['provider', 'eventId'] }],
  indices: [
    { name: 'ix_provider_events_reference', columns: ['provider', 'reference'] },
    { name: 'ix_provider_events_status', columns: ['status', 'receivedAt'] },
  ],
});

export interface SavedDestinationRow {
  id: string;
  userId: string;
  method: 'crypto' | 'bank';
  asset: string | null;
  address: string | null;
  bankCode: string | null;
  accountNumber: string | null;
  accountName: string | null;
  label: string;
  lastUsedAt: Date | null;
  createdAt: Date;
}

const assets = `('BTC', 'ETH', 'LTC', 'USDT_TRC20', 'USDT_ERC20')`;
const destinationShape = `(method = 'crypto' AND asset IS NOT NULL AND address IS NOT NULL
    AND bank_code IS NULL AND account_number IS NULL AND account_name IS NULL)
  OR (method = 'bank' AND asset IS NULL AND address IS NULL
    AND bank_code IS NOT NULL AND account_number IS NOT NULL AND account_name IS NOT NULL)`;
const destinationColumns = {
  method: { name: 'method', type: 'text' },
  asset: { name: 'asset', type: 'text', nullable: true },
  address: { name: 'address', type: 'text', nullable: true },
  bankCode: { name: 'bank_code', type: 'text', nullable: true },
  accountNumber: { name: 'account_number', type: 'text', nullable: true },
  accountName: { name: 'account_name', type: 'text', nullable: true },
} as const;

export const SavedDestinationEntity = new EntitySchema<SavedDestinationRow>({
  name: 'SavedDestination',
  tableName: 'saved_destinations',
  columns: {
    id: { name: 'id', type: 'bigint', primary: true, generated: 'increment' },
    userId: { name: 'user_id', type: 'bigint' },
    ...destinationColumns,
    label: { name: 'label', type: 'text' },
    lastUsedAt: { name: 'last_used_at', type: 'timestamptz', nullable: true },
    ...timestamps,
  },
  checks: [
    { name: 'ck_saved_destinations_method', expression: `method IN ('crypto', 'bank')` },
    { name: 'ck_saved_destinations_asset', expression: `asset IN ${assets}` },
    { name: 'ck_saved_destinations_label', expression: 'length(label) BETWEEN 1 AND 64' },
    { name: 'ck_saved_destinations_shape', expression: destinationShape },
  ],
  indices: [
    {
      name: 'uq_saved_destinations_address',
      columns: ['userId', 'asset', 'address'],
      unique: true,
      where: `method = 'crypto'`,
    },
    {
      name: 'uq_saved_destinations_account',
      columns: ['userId', 'bankCode', 'accountNumber'],
      unique: true,
      where: `method = 'bank'`,
    },
  ],
  foreignKeys: [
    {
      name: 'fk_saved_destinations_user',
      target: 'User',
      columnNames: ['userId'],
      referencedColumnNames: ['id'],
    },
  ],
});

export type CashoutStatusValue = 'awaiting_review' | 'paying' | 'succeeded' | 'failed' | 'rejected';

export interface CashoutRow {
  id: string;
  userId: string;
  idempotencyKey: string;
  status: CashoutStatusValue;
  reviewRequired: boolean;
  amountUsd: string;
  feeUsd: string;
  method: 'crypto' | 'bank';
  asset: string | null;
  address: string | null;
  bankCode: string | null;
  accountNumber: string | null;
  accountName: string | null;
  destinationId: string | null;
  provider: string;
  payoutCurrency: string;
  payoutAmount: string;
  networkFee: string;
  usdPerUnit: string;
  holdId: string;
  verificationId: string | null;
  transactionRef: string | null;
  failureReason: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  settledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const CashoutEntity = new EntitySchema<CashoutRow>({
  name: 'Cashout',
  tableName: 'cashouts',
  columns: {
    id: {
      name: 'id',
      type: 'uuid',
      primary: true,
      generated: 'uuid',
      primaryKeyConstraintName: 'pk_cashouts',
    },
    userId: { name: 'user_id', type: 'bigint' },
    idempotencyKey: { name: 'idempotency_key', type: 'text', unique: true },
    status: { name: 'status', type: 'text' },
    reviewRequired: { name: 'review_required', type: 'boolean' },
    amountUsd: { name: 'amount_usd', ...money },
    feeUsd: { name: 'fee_usd', ...money },
    ...destinationColumns,
    destinationId: { name: 'destination_id', type: 'bigint', nullable: true },
    provider: { name: 'provider', type: 'text' },
    payoutCurrency: { name: 'payout_currency', type: 'text' },
    payoutAmount: { name: 'payout_amount', ...money },
    networkFee: { name: 'network_fee', ...money },
    usdPerUnit: { name: 'usd_per_unit', ...money },
    holdId: { name: 'hold_id', type: 'bigint', unique: true },
    verificationId: { name: 'verification_id', type: 'uuid', nullable: true, unique: true },
    transactionRef: { name: 'transaction_ref', type: 'text', nullable: true },
    failureReason: { name: 'failure_reason', type: 'text', nullable: true },
    reviewedBy: { name: 'reviewed_by', type: 'bigint', nullable: true },
    reviewedAt: { name: 'reviewed_at', type: 'timestamptz', nullable: true },
    settledAt: { name: 'settled_at', type: 'timestamptz', nullable: true },
    ...timestamps,
    updatedAt: { name: 'updated_at', type: 'timestamptz', updateDate: true },
  },
  checks: [
    {
      name: 'ck_cashouts_status',
      expression: `status IN ('awaiting_review', 'paying', 'succeeded', 'failed', 'rejected')`,
    },
    { name: 'ck_cashouts_amount', expression: 'amount_usd > 0' },
    { name: 'ck_cashouts_fee', expression: 'fee_usd >= 0 AND fee_usd < amount_usd' },
    { name: 'ck_cashouts_method', expression: `method IN ('crypto', 'bank')` },
    { name: 'ck_cashouts_asset', expression: `asset IN ${assets}` },
    {
      name: 'ck_cashouts_payout_currency',
      expression: `payout_currency IN ('BTC', 'ETH', 'LTC', 'USDT', 'NGN')`,
    },
    { name: 'ck_cashouts_payout_amount', expression: 'payout_amount > 0' },
    { name: 'ck_cashouts_network_fee', expression: 'network_fee >= 0' },
    { name: 'ck_cashouts_rate', expression: 'usd_per_unit > 0' },
    { name: 'ck_cashouts_shape', expression: destinationShape },
    {
      name: 'ck_cashouts_settled',
      expression: `(status IN ('succeeded', 'failed', 'rejected')) = (settled_at IS NOT NULL)
          AND (status = 'succeeded') = (transaction_ref IS NOT NULL)
          AND (status IN ('failed', 'rejected')) = (failure_reason IS NOT NULL)`,
    },
    {
      name: 'ck_cashouts_reviewed',
      expression: `(reviewed_by IS NULL) = (reviewed_at IS NULL)
          AND (status <> 'awaiting_review' OR reviewed_by IS NULL)
          AND (review_required OR reviewed_by IS NULL)`,
    },
  ],
  indices: [
    {
      name: 'uq_cashouts_one_active',
      columns: ['userId'],
      unique: true,
      where: `status IN ('awaiting_review', 'paying')`,
    },
    { name: 'ix_cashouts_user', columns: ['userId', 'createdAt'] },
    { name: 'ix_cashouts_status', columns: ['status', 'createdAt'] },
  ],
  foreignKeys: [
    {
      name: 'fk_cashouts_user',
      target: 'User',
      columnNames: ['userId'],
      referencedColumnNames: ['id'],
    },
    {
      name: 'fk_cashouts_destination',
      target: 'SavedDestination',
      columnNames: ['destinationId'],
      referencedColumnNames: ['id'],
    },
    {
      name: 'fk_cashouts_hold',
      target: 'LedgerHold',
      columnNames: ['holdId'],
      referencedColumnNames: ['id'],
    },
    {
      name: 'fk_cashouts_verification',
      target: 'EmailCode',
      columnNames: ['verificationId'],
      referencedColumnNames: ['id'],
    },
    {
      name: 'fk_cashouts_reviewer',
      target: 'User',
      columnNames: ['reviewedBy'],
      referencedColumnNames: ['id'],
    },
  ],
});

export interface KrakenWithdrawalRow {
  idempotencyKey: string;
  asset: string;
  address: string;
  amount: string;
  startedAt: Date;
  sentAt: Date | null;
  refid: string | null;
}

export const KrakenWithdrawalEntity = new EntitySchema<KrakenWithdrawalRow>({
  name: 'KrakenWithdrawal',
  tableName: 'kraken_withdrawals',
  columns: {
    idempotencyKey: { name: 'idempotency_key', type: 'text', primary: true },
    asset: { name: 'asset', type: 'text' },
    address: { name: 'address', type: 'text' },
    amount: { name: 'amount', type: 'numeric', precision: 38, scale: 18 },
    startedAt: { name: 'started_at', type: 'timestamptz' },
    sentAt: { name: 'sent_at', type: 'timestamptz', nullable: true },
    refid: { name: 'refid', type: 'text', nullable: true, unique: true },
  },
});

export interface BankRow {
  code: string;
  name: string;
  provider: string;
  refreshedAt: Date;
}

export const BankEntity = new EntitySchema<BankRow>({
  name: 'Bank',
  tableName: 'banks',
  columns: {
    code: { name: 'code', type: 'text', primary: true, primaryKeyConstraintName: 'pk_banks' },
    name: { name: 'name', type: 'text' },
    provider: { name: 'provider', type: 'text' },
    refreshedAt: { name: 'refreshed_at', type: 'timestamptz', default: () => 'now()' },
  },
});

export const entities = [
  BankEntity,
  KrakenWithdrawalEntity,
  RateEntity,
  DepositEntity,
  UserEntity,
  EmailCodeEntity,
  LedgerAccountEntity,
  LedgerTransferEntity,
  LedgerEntryEntity,
  LedgerHoldEntity,
  ProviderEventEntity,
  SavedDestinationEntity,
  CashoutEntity,
];
