/**
 * Fincra, the Nigerian bank rail. Documented endpoints used (docs.fincra.com: "Payouts API",
 * "Verification", "Virtual Accounts"; same paths as the community SDK E-wave112/fincra-node-sdk):
 *
 *   GET  /core/banks?currency=NGN&country=NG            → data: [{ name, code, … }]
 *   POST /core/accounts/resolve {accountNumber, bankCode, type: 'nuban'} → data: { accountName }
 *   POST /disbursements/payouts {business, sourceCurrency, destinationCurrency, amount,
 *        description, paymentDestination: 'bank_account', customerReference, beneficiary}
 *   GET  /disbursements/payouts/customer-reference/{customerReference}
 *   POST /profile/virtual-accounts/transfer {name, merchantReference, expiresAt, amount}
 *
 * Idempotency: our key is the payout's `customerReference`, which Fincra keeps unique per
 * business. A retried payout is either created or refused as a duplicate; on any refusal we
 * look the reference up, so the caller gets the first payout's status instead of an error.
 */
import type { Amount } from '../../../machines/money.ts';
import { isRecord, type Reply } from '../http.ts';
import {
  ProviderError,
  type Bank,
  type CollectionInstructions,
  type NgnBank,
  type PayoutStatus,
} from '../types.ts';
import { dataOf, FincraApi, fincraError, type FincraApiOptions, type FincraConfig } from './api.ts';
import { payoutStatusOf } from './statuses.ts';
import { readVirtualAccount } from './virtual-account.ts';

export interface FincraBankOptions extends FincraApiOptions {
  now?: () => Date;
  /** Lifetime of a collection's temporary account, in minutes. */
  collectionMinutes?: number;
  /**
   * Told which temporary virtual account serves which reference. Fincra's collection webhook
   * names the virtual account, not our reference, so the pair must be stored to match them.
   */
  onVirtualAccount?: (link: { reference: string; virtualAccountId: string }) => Promise<void>;
}

export class FincraBank implements NgnBank {
  readonly provider = 'fincra';
  private readonly api: FincraApi;
  private readonly now: () => Date;

  constructor(
    config: FincraConfig,
    private readonly options: FincraBankOptions = {},
  ) {
    this.api = new FincraApi(config, options);
    this.now = options.now ?? (() => new Date());
  }

  async banks(): Promise<Bank[]> {
    const data = await this.api.data('GET', '/core/banks?currency=NGN&country=NG');
    if (!Array.isArray(data)) throw badReply('bank list is not a list');
    return data
      .filter(isRecord)
      .map((bank) => ({ code: String(bank.code ?? ''), name: String(bank.name ?? '') }))
      .filter((bank) => bank.code !== '' && bank.name !== '');
  }

  /** 4xx means the bank knows no such account; auth failures and outages still throw. */
  async resolveAccount(bankCode: string, accountNumber: string) {
    const body = { accountNumber, bankCode, type: 'nuban' };
    const reply = await this.api.send('POST', '/core/accounts/resolve', body);
    // TODO(payments): Fincra does not document the status for an unknown account; we read
    // 400, 404 and 422 as "no such account". Confirm in their sandbox.
    if ([400, 404, 422].includes(reply.status)) return null;

    const data = dataOf(reply, 'account resolution');
    const accountName = isRecord(data) ? data.accountName : undefined;
    return typeof accountName === 'string' && accountName.trim() !== ''
      ? { accountName: accountName.trim() }
      : null;
  }

  async payout(request: {
    bankCode: string;
    accountNumber: string;
    accountName: string;
    amount: Amount;
    idempotencyKey: string;
    narration: string;
  }): Promise<PayoutStatus> {
    const [firstName = request.accountName, ...rest] = request.accountName.trim().split(/\s+/);
    const reply = await this.api.send('POST', '/disbursements/payouts', {
      business: this.api.businessId,
      sourceCurrency: 'NGN',
      destinationCurrency: 'NGN',
      amount: request.amount,
      description: request.narration,
      paymentDestination: 'bank_account',
      customerReference: request.idempotencyKey,
      beneficiary: {
        firstName,
        lastName: rest.join(' ') || firstName,
        accountHolderName: request.accountName,
        accountNumber: request.accountNumber,
        bankCode: request.bankCode,
        type: 'individual',
        country: 'NG',
      },
    });
    if (reply.status >= 400 && reply.status < 500) {
      return this.afterRefusal(request.idempotencyKey, reply);
    }

    const data = dataOf(reply, 'payout reply');
    if (!isRecord(data)) throw badReply('payout reply without data');
    return payoutStatusOf(data);
  }

  async payoutStatus(idempotencyKey: string): Promise<PayoutStatus> {
    const path = `/disbursements/payouts/customer-reference/${encodeURIComponent(idempotencyKey)}`;
    const reply = await this.api.send('GET', path);
    if (isNotFound(reply.status, reply.body)) return { state: 'unknown' };

    const data = dataOf(reply, 'payout lookup');
    if (!isRecord(data)) throw badReply('payout lookup without data');
    return payoutStatusOf(data);
  }

  async collect(request: {
    reference: string;
    amount: Amount;
    payerName: string;
  }): Promise<CollectionInstructions> {
    const minutes = this.options.collectionMinutes ?? 60;
    // TODO(payments): the temporary account's request fields come from the SDK and guides, not a
    // reference page; confirm `amount`, and whether Fincra dedupes `merchantReference` (a retried
    // collect after a lost reply otherwise opens a second account for the same reference).
    const data = await this.api.data('POST', '/profile/virtual-accounts/transfer', {
      name: request.payerName,
      merchantReference: request.reference,
      expiresAt: String(minutes),
      amount: request.amount,
    });
    const expiry = new Date(this.now().getTime() + minutes * 60_000).toISOString();
    const { instructions, virtualAccountId } = readVirtualAccount(data, request, expiry);
    if (virtualAccountId) {
      await this.options.onVirtualAccount?.({ reference: request.reference, virtualAccountId });
    }
    return instructions;
  }

  /** A refused payout may be a repeat of one Fincra already has; if so, report that one. */
  private async afterRefusal(idempotencyKey: string, reply: Reply): Promise<PayoutStatus> {
    const existing = await this.payoutStatus(idempotencyKey);
    if (existing.state !== 'unknown') return existing;
    throw fincraError(reply);
  }
}

function isNotFound(status: number, body: unknown): boolean {
  return status === 404 || (isRecord(body) && body.errorType === 'RESOURCE_NOT_FOUND');
}

function badReply(message: string): ProviderError {
  return new ProviderError('fincra', 'bad_response', message, false);
}
