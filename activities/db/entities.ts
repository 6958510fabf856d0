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

export interface WalletRow {
  id: string;
  userId: string;
  currency: 'USD' | 'NGN';
  available: string;
  held: string;
  tradingCredit: string;
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
    { name: 'fk_users_referrer', target: 'User', columnNames: ['referrerId'], referencedColumnNames: ['id'] },
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
    { name: 'fk_email_codes_user', target: 'User', columnNames: ['userId'], referencedColumnNames: ['id'] },
  ],
});

export const WalletEntity = new EntitySchema<WalletRow>({
  name: 'Wallet',
  tableName: 'wallets',
  columns: {
    id: { name: 'id', type: 'bigint', primary: true, generated: 'increment' },
    userId: { name: 'user_id', type: 'bigint' },
    currency: { name: 'currency', type: 'text' },
    available: { name: 'available', type: 'numeric', precision: 38, scale: 18, default: 0 },
    held: { name: 'held', type: 'numeric', precision: 38, scale: 18, default: 0 },
    tradingCredit: { name: 'trading_credit', type: 'numeric', precision: 38, scale: 18, default: 0 },
    ...timestamps,
  },
  checks: [
    { name: 'ck_wallets_currency', expression: `currency IN ('USD', 'NGN')` },
    { name: 'ck_wallets_available', expression: 'available >= 0' },
    { name: 'ck_wallets_held', expression: 'held >= 0' },
    { name: 'ck_wallets_trading_credit', expression: 'trading_credit >= 0' },
  ],
  uniques: [{ name: 'uq_wallets_user_currency', columns: ['userId', 'currency'] }],
  foreignKeys: [
    { name: 'fk_wallets_user', target: 'User', columnNames: ['userId'], referencedColumnNames: ['id'] },
  ],
});

export const entities = [UserEntity, EmailCodeEntity, WalletEntity];
