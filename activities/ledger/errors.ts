/**
 * Errors for calls that can never succeed as made: retrying them is pointless, so workflows
 * should list these names in `nonRetryableErrorTypes`. Business refusals (insufficient funds,
 * a hold already settled) are outcomes, not errors.
 */

/** An idempotency key already used for a different movement. */
export class IdempotencyConflictError extends Error {
  override name = 'IdempotencyConflictError';

  constructor(
    readonly idempotencyKey: string,
    readonly existingTransferId: string | null,
  ) {
    const owner = existingTransferId ? `transfer ${existingTransferId}` : 'another movement';
    super(
      `idempotency key ${JSON.stringify(idempotencyKey)} already belongs to ${owner}: a retry ` +
        'must repeat the original request exactly, and a new movement needs a new key',
    );
  }
}

/** A transfer whose entries cannot form a valid double-entry movement. */
export class InvalidTransferError extends Error {
  override name = 'InvalidTransferError';

  constructor(
    readonly idempotencyKey: string,
    readonly problem: string,
  ) {
    super(`transfer ${JSON.stringify(idempotencyKey)} is invalid: ${problem}`);
  }
}

/** A user without ledger accounts in a currency: call `ensureUserAccounts` first. */
export class MissingAccountError extends Error {
  override name = 'MissingAccountError';

  constructor(
    readonly userId: string,
    readonly currency: string,
  ) {
    super(`user ${userId} has no ${currency} ledger accounts; create them with ensureUserAccounts`);
  }
}

/** A hold id that does not exist. */
export class UnknownHoldError extends Error {
  override name = 'UnknownHoldError';

  constructor(readonly holdId: string) {
    super(`there is no ledger hold ${holdId}`);
  }
}
