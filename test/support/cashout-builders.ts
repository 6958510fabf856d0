import type { CashoutFacts, CashoutInput, CashoutSettings } from '../../machines/cashout-facts.ts';
import { aParty } from './builders.ts';

/** Builders for the cashout flow's facts and input; override only what a test is about. */

export const cashoutSettings: CashoutSettings = {
  inactivityMs: 30 * 60_000,
  rateLockMs: 10 * 60_000,
  rateMaxAgeMs: 5 * 60_000,
  minUsd: '1',
  maxUsd: '500',
  noEmailCapUsd: '50',
  reviewAboveUsd: '250',
  feePercent: '2',
  minFeeUsd: '2',
};

export function someCashoutFacts(
  overrides: Partial<CashoutFacts> = {},
  user: Partial<CashoutFacts['user']> = {},
): CashoutFacts {
  return {
    user: { blocked: false, onboarded: true, verifiedEmail: 'ada@example.com', ...user },
    balances: { available: '320', withdrawable: '300' },
    addresses: [
      {
        id: 'a2',
        label: 'Old',
        asset: 'BTC',
        masked: '1A1z…fNa',
        lastUsedAt: '2025-06-01T09:00:00Z',
      },
      { id: 'a3', label: 'Spare', asset: 'BTC', masked: '3J98…NLy', lastUsedAt: null },
      {
        id: 'a1',
        label: 'Ledger',
        asset: 'BTC',
        masked: 'bc1q…3t4',
        lastUsedAt: '2026-01-02T10:00:00Z',
      },
      { id: 't1', label: 'Tron', asset: 'USDT_TRC20', masked: 'TR7N…j6t', lastUsedAt: null },
    ],
    bankAccounts: [
      {
        id: 'b1',
        label: 'Salary',
        bankCode: '058',
        masked: '******6789',
        accountName: 'ADA LOVELACE',
        lastUsedAt: '2026-01-01T08:00:00Z',
      },
    ],
    banks: [
      { code: '058', name: 'GTBank' },
      { code: '044', name: 'Access Bank' },
    ],
    lastDestinationId: 'a1',
    activeCashoutId: null,
    rates: [
      { currency: 'BTC', rate: '95000', ageMs: 60_000 },
      { currency: 'ETH', rate: '3500', ageMs: 60_000 },
      { currency: 'LTC', rate: '90', ageMs: 60_000 },
      { currency: 'USDT', rate: '1', ageMs: 60_000 },
      { currency: 'NGN', rate: '1500', ageMs: 60_000 },
    ],
    ...overrides,
  };
}

export function aCashoutInput(overrides: Partial<CashoutInput> = {}): CashoutInput {
  return { party: aParty(), settings: cashoutSettings, facts: someCashoutFacts(), ...overrides };
}
