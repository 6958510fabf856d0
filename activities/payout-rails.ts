import { ApplicationFailure } from '@temporalio/activity';
import type { CheckPayoutInput, SendPayoutInput } from '../machines/payout.ts';
import type { Rails } from './providers/index.ts';
import { ProviderError, type PayoutStatus } from './providers/types.ts';

/** One payout rail seen the same way for crypto and naira: status and send by key. */
interface PayoutRail {
  provider: string;
  status(key: string): Promise<PayoutStatus>;
  send(input: SendPayoutInput): Promise<PayoutStatus>;
}

/**
 * The payout workflow's calls to the rails. The idempotency key of every payout is its
 * cashout id, which is also the reference the provider's webhooks carry back.
 */
export function createPayoutRailActivities({
  rails,
}: {
  rails: Pick<Rails, 'cryptoPayouts' | 'ngnBank'>;
}) {
  const railOf = (method: SendPayoutInput['destination']['method'], provider: string) => {
    const rail = method === 'crypto' ? cryptoRail(rails.cryptoPayouts) : bankRail(rails.ngnBank);
    // Asking another provider would answer `unknown` and send again: wait for the old one.
    if (rail.provider !== provider) {
      throw ApplicationFailure.retryable(
        `the ${method} rail is now ${rail.provider}, but this payout went to ${provider}; ` +
          `configure ${provider} again to finish it`,
        'RailChanged',
      );
    }
    return rail;
  };

  return {
    /**
     * Sends the payout once. It always asks the provider first: a previous attempt may have
     * been accepted even though its answer was lost (a timeout), and only `unknown` means
     * nothing arrived, so only then does it send. A provider's verdict (`retryable` false) is
     * a non-retryable `PayoutRefused`: nothing was sent. Blips are thrown as they are, and
     * Temporal retries them with backoff.
     */
    async sendPayout(input: SendPayoutInput): Promise<PayoutStatus> {
      const rail = railOf(input.destination.method, input.provider);
      const known = await askStatus(rail, input.cashoutId);
      if (known.state !== 'unknown') return known;

      try {
        return await rail.send(input);
      } catch (error) {
        if (error instanceof ProviderError && !error.retryable) {
          throw ApplicationFailure.nonRetryable(error.message, 'PayoutRefused', {
            code: error.code,
          });
        }
        throw error;
      }
    },

    /** What the provider says now about the payout sent under this cashout's id. */
    async checkPayout(input: CheckPayoutInput): Promise<PayoutStatus> {
      return askStatus(railOf(input.method, input.provider), input.cashoutId);
    },
  };
}

export type PayoutRailActivities = ReturnType<typeof createPayoutRailActivities>;

/** A status the provider refuses to give leaves the payout in doubt: an operator decides. */
async function askStatus(rail: PayoutRail, key: string): Promise<PayoutStatus> {
  try {
    return await rail.status(key);
  } catch (error) {
    if (error instanceof ProviderError && !error.retryable) {
      throw ApplicationFailure.nonRetryable(error.message, 'PayoutInDoubt', { code: error.code });
    }
    throw error;
  }
}

function cryptoRail(payouts: Rails['cryptoPayouts']): PayoutRail {
  return {
    provider: payouts.provider,
    status: (key) => payouts.status(key),
    send: ({ cashoutId, destination, amount }) => {
      if (destination.method !== 'crypto') throw new Error('a bank destination on the crypto rail');
      const { asset, address } = destination;
      return payouts.withdraw({ asset, address, amount, idempotencyKey: cashoutId });
    },
  };
}

function bankRail(bank: Rails['ngnBank']): PayoutRail {
  return {
    provider: bank.provider,
    status: (key) => bank.payoutStatus(key),
    send: ({ cashoutId, destination, amount }) => {
      if (destination.method !== 'bank') throw new Error('a crypto destination on the bank rail');
      const { bankCode, accountNumber, accountName } = destination;
      const narration = `LockBay cashout ${cashoutId.slice(0, 8)}`;
      return bank.payout({
        bankCode,
        accountNumber,
        accountName,
        amount,
        idempotencyKey: cashoutId,
        narration,
      });
    },
  };
}
