import { createHash, randomBytes } from 'node:crypto';

import { cmp, parseAmount, type Amount } from '../../../machines/money.ts';
import {
  ProviderError,
  type Bank,
  type CollectionInstructions,
  type NgnBank,
  type PayoutStatus,
} from '../types.ts';
import {
  PayoutBook,
  positiveAmount,
  type PayoutOutcome,
  type ScriptedPayout,
  type SettleOptions,
} from './payout-book.ts';
import { SandboxError, type RailsRuntime } from './runtime.ts';
import type { DeliveryOptions } from './webhook-sender.ts';
import { SANDBOX_PROVIDER } from './webhook-source.ts';

export const sandboxBanks: Bank[] = [
  { code: '044', name: 'Access Bank' },
  { code: '011', name: 'First Bank of Nigeria' },
  { code: '058', name: 'Guaranty Trust Bank' },
  { code: '50211', name: 'Kuda Microfinance Bank' },
  { code: '50515', name: 'Moniepoint Microfinance Bank' },
  { code: '999992', name: 'OPay' },
  { code: '033', name: 'United Bank for Africa' },
  { code: '057', name: 'Zenith Bank' },
];

/** An account number no sandbox bank knows; every other 10-digit number has a holder. */
export const UNKNOWN_ACCOUNT = '0000000000';

const HOLDERS = [
  'Adaeze Okafor',
  'Babatunde Adeyemi',
  'Chidi Nwosu',
  'Funmilayo Bello',
  'Ibrahim Musa',
  'Ngozi Eze',
];

export interface SandboxCollection extends CollectionInstructions {
  payerName: string;
  createdAt: string;
  state: 'waiting' | 'paid' | 'expired';
}

/**
 * A Nigerian bank rail in memory: a fixed bank list, account names derived from the number (or
 * set with `addAccount`), payouts pending until settled, and collections a test pays with any
 * amount (under, exact, over) by `payCollection`.
 */
export class SandboxNgnBank implements NgnBank {
  readonly provider = SANDBOX_PROVIDER;
  readonly payouts: PayoutBook;
  private readonly accounts = new Map<string, string>();
  private readonly pendingCollections = new Map<string, SandboxCollection>();

  constructor(
    private readonly runtime: RailsRuntime,
    private readonly webhookUrl: string,
    private readonly collectionTtlMs: number,
  ) {
    this.payouts = new PayoutBook('ngn', runtime, webhookUrl);
  }

  async banks(): Promise<Bank[]> {
    return sandboxBanks.map((bank) => ({ ...bank }));
  }

  async resolveAccount(bankCode: string, accountNumber: string) {
    this.bankOf(bankCode);
    if (!/^\d{10}$/.test(accountNumber)) {
      const message = `account number ${accountNumber} is not 10 digits`;
      throw new ProviderError(this.provider, 'invalid_account', message, false);
    }
    const named = this.accounts.get(`${bankCode}/${accountNumber}`);
    if (named) return { accountName: named };
    if (accountNumber === UNKNOWN_ACCOUNT) return null;

    const index = createHash('sha256').update(accountNumber).digest()[0]! % HOLDERS.length;
    return { accountName: HOLDERS[index]! };
  }

  /** Gives an account the holder's name a test expects. */
  addAccount(bankCode: string, accountNumber: string, accountName: string): void {
    this.accounts.set(`${bankCode}/${accountNumber}`, accountName);
  }

  async payout(request: {
    bankCode: string;
    accountNumber: string;
    accountName: string;
    amount: Amount;
    idempotencyKey: string;
    narration: string;
  }): Promise<PayoutStatus> {
    const account = await this.resolveAccount(request.bankCode, request.accountNumber);
    if (!account) {
      throw new ProviderError(this.provider, 'invalid_account', 'no such account', false);
    }
    return this.payouts.submit(request.idempotencyKey, {
      amount: this.positive(request.amount),
      currency: 'NGN',
      destination: `${request.bankCode} / ${request.accountNumber}`,
    });
  }

  async payoutStatus(idempotencyKey: string): Promise<PayoutStatus> {
    return this.payouts.status(idempotencyKey);
  }

  /** Settles the naira payout sent with `key` and posts its webhook; throws if settled. */
  settlePayout(key: string, outcome: PayoutOutcome, options?: SettleOptions) {
    return this.payouts.settle(key, outcome, options);
  }

  /** Queues what the next `payout` calls do. */
  scriptPayouts(...outcomes: ScriptedPayout[]): void {
    this.payouts.script(...outcomes);
  }

  async collect(request: { reference: string; amount: Amount; payerName: string }) {
    const known = this.pendingCollections.get(request.reference);
    if (known) return instructionsOf(known);

    const now = this.runtime.now();
    const digits = BigInt(`0x${createHash('sha256').update(request.reference).digest('hex')}`);
    const collection: SandboxCollection = {
      bankName: 'Sandbox Microfinance Bank',
      accountNumber: `9${(digits % 1_000_000_000n).toString().padStart(9, '0')}`,
      accountName: `LockBay / ${request.payerName}`,
      reference: request.reference,
      amount: this.positive(request.amount),
      expiresAt: new Date(now.getTime() + this.collectionTtlMs).toISOString(),
      payerName: request.payerName,
      createdAt: now.toISOString(),
      state: 'waiting',
    };
    this.pendingCollections.set(request.reference, collection);
    this.runtime.changed();
    return instructionsOf(collection);
  }

  /** Every collection asked for, oldest first. */
  collections(): SandboxCollection[] {
    return [...this.pendingCollections.values()];
  }

  /** The payer's transfer arrives: `amount` naira (any amount), announced by a webhook. */
  async payCollection(reference: string, amount: Amount, options: DeliveryOptions = {}) {
    const collection = this.collectionOf(reference);
    const paid = parseAmount(amount);
    if (cmp(paid, '0') <= 0) throw new SandboxError(`a payment must be positive, not ${amount}`);
    await this.runtime.delay(options.delayMs);

    if (collection.state === 'waiting') collection.state = 'paid';
    this.runtime.changed();
    const sessionId = `sbx_${randomBytes(12).toString('hex')}`;
    const event = {
      type: 'collection' as const,
      reference,
      amount: paid,
      currency: 'NGN' as const,
      sessionId,
    };
    return this.runtime.sender.send(this.webhookUrl, [event], { ...options, delayMs: 0 });
  }

  /** The collection stops being offered on the sandbox page. */
  expireCollection(reference: string): void {
    this.collectionOf(reference).state = 'expired';
    this.runtime.changed();
  }

  private bankOf(code: string): Bank {
    const bank = sandboxBanks.find((each) => each.code === code);
    if (bank) return bank;
    throw new ProviderError(this.provider, 'invalid_bank', `no bank with code ${code}`, false);
  }

  private collectionOf(reference: string): SandboxCollection {
    const collection = this.pendingCollections.get(reference);
    if (collection) return collection;

    const known = [...this.pendingCollections.keys()].join(', ') || 'none yet';
    throw new SandboxError(`no sandbox collection ${reference}; known: ${known}`);
  }

  private positive(amount: Amount): Amount {
    return positiveAmount(this.provider, amount);
  }
}

function instructionsOf(collection: SandboxCollection): CollectionInstructions {
  const { bankName, accountNumber, accountName, reference, amount, expiresAt } = collection;
  return { bankName, accountNumber, accountName, reference, amount, expiresAt };
}
