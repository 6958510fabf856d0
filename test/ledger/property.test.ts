import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidTransferError } from '../../activities/ledger/errors.ts';
import type { AccountId, PostInput, UserAccounts } from '../../activities/ledger/index.ts';
import { checkLedger } from '../../activities/ledger/invariants.ts';
import {
  add,
  cmp,
  isZero,
  mul,
  roundTo,
  sub,
  type Amount,
  type Currency,
} from '../../machines/money.ts';
import { aUserWithAccounts, openLedger, type LedgerFixture } from '../support/ledger.ts';

/**
 * Random operations against a model of every balance: each outcome must be the one the model
 * predicts (applied, refused for funds, already settled, replayed), replaying an old key must
 * change nothing, and afterwards the balances equal the model's and `checkLedger` finds nothing.
 */

const seeds = [1, 2, 3, 4];
const operationsPerSeed = 2_500;
const users = 4;
const walletCurrencies: Currency[] = ['USD', 'NGN', 'BTC'];

const decimal = (n: number, places: number): Amount => {
  const digits = String(n).padStart(places + 1, '0');
  return places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
};
const anAmount = fc
  .tuple(fc.integer({ min: 1, max: 50_000 }), fc.constantFrom(0, 2, 2, 8, 18))
  .map(([n, places]) => decimal(n, places));
const aRate = fc
  .tuple(fc.integer({ min: 1, max: 2_000_000 }), fc.constantFrom(2, 4, 6))
  .map(([n, places]) => decimal(n, places));
const aUser = fc.nat({ max: users - 1 });
const aCurrency = fc.constantFrom(...walletCurrencies);
const anIndex = fc.nat();

const anOperation = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('deposit' as const),
      user: aUser,
      currency: aCurrency,
      amount: anAmount,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('pay' as const),
      user: aUser,
      to: fc.oneof(aUser, fc.constant('revenue' as const)),
      currency: aCurrency,
      amount: anAmount,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('hold' as const),
      user: aUser,
      currency: aCurrency,
      amount: anAmount,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('post' as const),
      hold: anIndex,
      to: aUser,
      fee: anAmount,
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('void' as const), hold: anIndex }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('convert' as const),
      user: aUser,
      from: aCurrency,
      to: aCurrency,
      amount: anAmount,
      rate: aRate,
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('replay' as const), index: anIndex }) },
);
type Operation = typeof anOperation extends fc.Arbitrary<infer T> ? T : never;

interface Hold {
  id: string;
  user: number;
  currency: Currency;
  amount: Amount;
  status: 'pending' | 'posted' | 'voided';
}

describe('ledger under random operations', () => {
  let f: LedgerFixture;
  before(async () => {
    f = await openLedger();
  });
  after(() => f?.close());

  for (const seed of seeds) {
    it(`keeps every invariant over ${operationsPerSeed} operations (seed ${seed})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(anOperation, { minLength: operationsPerSeed, maxLength: operationsPerSeed }),
          async (operations) => {
            const run = await ModelRun.open(f, `seed${seed}`);
            for (const [step, op] of operations.entries()) {
              await run.apply(`seed${seed}/${step}`, op, `step ${step} ${JSON.stringify(op)}`);
            }
            await run.verify();
          },
        ),
        { seed, numRuns: 1, endOnFailure: true },
      );
    });
  }
});

/** Fresh users and this run's accounts, the expected balance of each, and what to replay. */
class ModelRun {
  private readonly balances = new Map<AccountId, Amount>();
  private readonly holds: Hold[] = [];
  private readonly replays: (() => Promise<void>)[] = [];
  private applied = 0;

  private constructor(
    private readonly f: LedgerFixture,
    private readonly run: string,
    private readonly people: { userId: string; accounts: UserAccounts }[],
    private readonly system: Record<
      'clearing' | 'revenue' | 'conversion',
      Record<string, AccountId>
    >,
  ) {}

  static async open(f: LedgerFixture, run: string): Promise<ModelRun> {
    const people = [];
    for (let i = 0; i < users; i += 1) people.push(await aUserWithAccounts(f, walletCurrencies));
    const system = { clearing: {}, revenue: {}, conversion: {} } as ModelRun['system'];
    for (const currency of walletCurrencies) {
      system.clearing[currency] = await f.ledger.systemAccount(
        `provider_clearing:${run}`,
        currency,
      );
      system.revenue[currency] = await f.ledger.systemAccount('platform_revenue', currency);
      system.conversion[currency] = await f.ledger.systemAccount('conversion', currency);
    }

    const model = new ModelRun(f, run, people, system);
    for (const [id, balance] of await model.stored()) model.balances.set(id, balance);
    return model;
  }

  async apply(key: string, op: Operation, at: string): Promise<void> {
    if (op.type === 'deposit' || op.type === 'pay') return this.pay(key, op, at);
    if (op.type === 'hold') return this.hold(key, op, at);
    if (op.type === 'post' || op.type === 'void') return this.settle(key, op, at);
    if (op.type === 'convert') return this.convert(key, op, at);
    if (this.replays.length > 0) await this.replays[op.index % this.replays.length]!();
  }

  /** Balances equal the model's, one transfer per applied operation, no violation. */
  async verify(): Promise<void> {
    for (const [account, balance] of await this.stored()) {
      const expected = this.balances.get(account)!;
      assert.equal(cmp(balance, expected), 0, `account ${account}: ${balance}, model ${expected}`);
    }
    const [{ transfers }] = await this.f.db.query(
      `SELECT count(*)::int AS transfers FROM ledger_transfers WHERE idempotency_key LIKE $1`,
      [`${this.run}/%`],
    );
    assert.equal(transfers, this.applied);
    assert.deepEqual((await checkLedger(this.f.db)).violations, []);
  }

  private async pay(key: string, op: Extract<Operation, { type: 'deposit' | 'pay' }>, at: string) {
    const user = this.available(op.user, op.currency);
    const payee =
      op.type === 'pay' && op.to !== 'revenue' ? this.available(op.to, op.currency) : null;
    const [from, to] =
      op.type === 'deposit'
        ? [this.system.clearing[op.currency]!, user]
        : [user, payee ?? this.system.revenue[op.currency]!];
    if (from === to) return;

    const input = {
      kind: op.type,
      idempotencyKey: key,
      entries: [
        { account: from, currency: op.currency, amount: `-${op.amount}` },
        { account: to, currency: op.currency, amount: op.amount },
      ],
    };
    const result = await this.f.ledger.transfer(input);
    if (op.type === 'pay' && !this.has(from, op.amount)) {
      return assert.deepEqual(result, { outcome: 'insufficientFunds' }, at);
    }
    assert.equal(result.outcome, 'applied', at);
    this.moved([from, `-${op.amount}`], [to, op.amount]);
    this.replays.push(async () => {
      assert.deepEqual(await this.f.ledger.transfer(input), { ...result, outcome: 'replayed' }, at);
    });
  }

  private async hold(key: string, op: Extract<Operation, { type: 'hold' }>, at: string) {
    const { userId, accounts } = this.people[op.user]!;
    const input = { userId, currency: op.currency, amount: op.amount, idempotencyKey: key };
    const result = await this.f.ledger.hold(input);
    const from = accounts[op.currency]!.available;
    if (!this.has(from, op.amount)) {
      return assert.deepEqual(result, { outcome: 'insufficientFunds' }, at);
    }
    assert.equal(result.outcome, 'held', at);
    if (result.outcome !== 'held') return;

    this.moved([from, `-${op.amount}`], [accounts[op.currency]!.held, op.amount]);
    this.holds.push({ id: result.holdId, ...op, status: 'pending' });
    this.replays.push(async () => {
      assert.deepEqual(await this.f.ledger.hold(input), { ...result, outcome: 'replayed' }, at);
    });
  }

  private async settle(key: string, op: Extract<Operation, { type: 'post' | 'void' }>, at: string) {
    const hold = this.holds[op.hold % Math.max(this.holds.length, 1)];
    if (!hold) return;
    const status = op.type === 'post' ? 'posted' : 'voided';
    const to = op.type === 'post' ? this.postDestinations(hold, op.to, op.fee) : [];
    const settle = () =>
      op.type === 'post'
        ? this.f.ledger.post({ holdId: hold.id, idempotencyKey: key, to })
        : this.f.ledger.void({ holdId: hold.id, idempotencyKey: key });

    const result = await settle();
    if (hold.status !== 'pending') {
      return assert.deepEqual(result, { outcome: 'alreadySettled', status: hold.status }, at);
    }
    assert.equal(result.outcome, status, at);
    hold.status = status;
    const returned = this.available(hold.user, hold.currency);
    const legs =
      op.type === 'post'
        ? to.map((leg) => [leg.account, leg.amount ?? hold.amount] as const)
        : [[returned, hold.amount] as const];
    this.moved([this.people[hold.user]!.accounts[hold.currency]!.held, `-${hold.amount}`], ...legs);

    const transferId = result.outcome === status ? result.transferId : '';
    this.replays.push(async () => {
      assert.deepEqual(await settle(), { outcome: 'replayed', status, transferId }, at);
    });
  }

  /** The whole hold to a user, or split with a fee to revenue when the fee is smaller. */
  private postDestinations(hold: Hold, user: number, fee: Amount): PostInput['to'] {
    const payee = this.available(user, hold.currency);
    if (cmp(fee, hold.amount) >= 0) return [{ account: payee }];
    return [
      { account: payee, amount: sub(hold.amount, fee) },
      { account: this.system.revenue[hold.currency]!, amount: fee },
    ];
  }

  private async convert(key: string, op: Extract<Operation, { type: 'convert' }>, at: string) {
    if (op.from === op.to) return;
    const input = {
      idempotencyKey: key,
      from: { account: this.available(op.user, op.from), currency: op.from, amount: op.amount },
      to: { account: this.available(op.user, op.to), currency: op.to },
      rate: op.rate,
    };
    const received = roundTo(op.to, mul(op.amount, op.rate));
    if (isZero(received)) {
      return assert.rejects(this.f.ledger.convert(input), InvalidTransferError, at);
    }

    const result = await this.f.ledger.convert(input);
    if (!this.has(input.from.account, op.amount)) {
      return assert.equal(result.outcome, 'insufficientFunds', at);
    }
    assert.equal(result.outcome, 'applied', at);
    assert.equal(result.toAmount, received, at);
    this.moved(
      [input.from.account, `-${op.amount}`],
      [this.system.conversion[op.from]!, op.amount],
      [this.system.conversion[op.to]!, `-${received}`],
      [input.to.account, received],
    );
    this.replays.push(async () => {
      assert.deepEqual(await this.f.ledger.convert(input), { ...result, outcome: 'replayed' }, at);
    });
  }

  private available(user: number, currency: Currency): AccountId {
    return this.people[user]!.accounts[currency]!.available;
  }

  private has(account: AccountId, amount: Amount): boolean {
    return cmp(this.balances.get(account)!, amount) >= 0;
  }

  /** Records one applied operation's legs. */
  private moved(...legs: (readonly [AccountId, Amount])[]): void {
    for (const [account, amount] of legs) {
      this.balances.set(account, add(this.balances.get(account)!, amount));
    }
    this.applied += 1;
  }

  private async stored(): Promise<[AccountId, Amount][]> {
    const tracked = [
      ...this.people.flatMap((p) => walletCurrencies.flatMap((c) => Object.values(p.accounts[c]!))),
      ...Object.values(this.system).flatMap((byCurrency) => Object.values(byCurrency)),
    ];
    const rows: { id: string; balance: string }[] = await this.f.db.query(
      `SELECT id, balance::text FROM ledger_accounts WHERE id = ANY($1)`,
      [tracked],
    );
    return rows.map((row) => [row.id, row.balance]);
  }
}
