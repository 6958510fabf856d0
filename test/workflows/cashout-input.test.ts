import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { codeDigest } from '../../activities/otp.ts';
import { UNKNOWN_ACCOUNT } from '../../activities/providers/sandbox/index.ts';
import type { CashoutContext } from '../../machines/cashout.ts';
import type { Notice, Screen } from '../../machines/flow.ts';
import type { UserEvent } from '../../workflows/contract.ts';
import { cashoutHelpers } from '../support/cashout-stack.ts';
import { startStack, type Stack } from '../support/stack.ts';

const BTC_ADDRESS = 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh';
const ETH_ADDRESS = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const TRON_ADDRESS = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

type User = Awaited<ReturnType<ReturnType<typeof cashoutHelpers>['aUser']>>;

// Every typed mistake in the cashout, sent through the bot's door to a workflow whose cache is
// off, so each refusal is also replayed. A refusal must name the problem, keep the step, cost
// no SQL and write nothing.
describe('cashout workflow refuses bad input at every text step (cache off)', () => {
  let stack: Stack;
  let t: ReturnType<typeof cashoutHelpers>;

  before(async () => {
    stack = await startStack({ maxCachedWorkflows: 0 });
    t = cashoutHelpers(stack, 7_100_000);
    await t.freshRates();
  });
  after(() => stack?.teardown());

  /** One step through the bot's door, with the statements the worker issued meanwhile. */
  async function step(chat: number, event: UserEvent): Promise<Screen & { statements: number }> {
    const before = stack.queries.total;
    const { screen } = t.screenOf(await t.say(chat, event));
    return { ...screen, statements: stack.queries.total - before };
  }

  /** Walks to `state` with events that must each succeed. */
  async function walk(chat: number, state: string, ...events: UserEvent[]): Promise<void> {
    let reached = '';
    for (const event of events) reached = (await step(chat, event)).state;
    assert.equal(reached, state);
  }

  async function assertRefused(chat: number, event: UserEvent, state: string, notice: Notice) {
    const shown = await step(chat, event);
    const what = `${JSON.stringify(event).slice(0, 80)} in ${state}`;
    assert.equal(shown.state, state, what);
    assert.deepEqual(shown.notice, notice, what);
    assert.equal(shown.statements, 0, `${what} issued SQL`);
  }

  const text = (typed: string): UserEvent => ({ type: 'text.entered', text: typed });
  const sixDigits = (chat: number): UserEvent => ({
    type: 'code.entered',
    digest: codeDigest(stack.config.otp.secret, chat, '123456'),
  });

  /** The user's money and rows as they are now; compared before and after a conversation. */
  async function footprint(user: User) {
    const [rows] = await stack.db.query(
      `SELECT (SELECT count(*)::int FROM cashouts WHERE user_id = $1) AS cashouts,
         (SELECT count(*)::int FROM saved_destinations WHERE user_id = $1) AS saved`,
      [user.userId],
    );
    return { ...rows, balances: await t.ledger.balances(user.userId) };
  }

  /** The running machine's context, as the workflow's query returns it. */
  async function contextOf(chat: number): Promise<Partial<CashoutContext>> {
    return ((await t.machineState(chat))?.context ?? {}) as Partial<CashoutContext>;
  }

  async function cancel(chat: number): Promise<void> {
    assert.equal((await step(chat, { type: 'flow.cancel' })).state, 'cancelled');
  }

  it('names what is wrong with a malformed amount and stays on typingAmount', async () => {
    const user = await t.aUser('100', 'amounts@example.com');
    const chat = user.telegramId;
    const untouched = await footprint(user);

    const opened = await step(chat, { type: 'flow.open', flow: 'cashout' });
    assert.deepEqual([opened.state, opened.statements], ['choosingAmount', 1], 'the prefetch');
    await walk(chat, 'typingAmount', { type: 'amount.custom' });

    // The bot never sends empty text, but the workflow must not trust that.
    await assertRefused(chat, text(''), 'typingAmount', { code: 'amount.empty' });
    await assertRefused(chat, text('   '), 'typingAmount', { code: 'amount.empty' });
    await assertRefused(chat, text('abc'), 'typingAmount', { code: 'amount.notANumber' });
    await assertRefused(chat, text('-5'), 'typingAmount', { code: 'amount.negative' });
    await assertRefused(chat, text('1e3'), 'typingAmount', { code: 'amount.exponent' });
    await assertRefused(chat, text('0.001'), 'typingAmount', { code: 'amount.tooManyDecimals' });
    await assertRefused(chat, text('12,34,5'), 'typingAmount', { code: 'amount.badGrouping' });
    await assertRefused(chat, text('9'.repeat(20)), 'typingAmount', { code: 'amount.tooLarge' });
    await assertRefused(chat, text('12.5.0'), 'typingAmount', { code: 'amount.notANumber' });

    assert.equal((await contextOf(chat)).amount, null, 'no amount was taken');
    await cancel(chat);
    assert.deepEqual(await footprint(user), untouched);
  });

  it('refuses a well-formed amount outside a limit, naming the limit', async () => {
    const user = await t.aUser('100', 'limits@example.com');
    const chat = user.telegramId;
    const untouched = await footprint(user);
    await walk(
      chat,
      'typingAmount',
      { type: 'flow.open', flow: 'cashout' },
      { type: 'amount.custom' },
    );

    const belowMinimum = { code: 'amount.belowMinimum', values: { minUsd: '1' } };
    const aboveMaximum = { code: 'amount.aboveMaximum', values: { maxUsd: '500' } };
    await assertRefused(chat, text('0.99'), 'typingAmount', belowMinimum);
    await assertRefused(chat, text('500.01'), 'typingAmount', aboveMaximum);
    // Read as one thousand (not a grouping mistake), then refused by the maximum.
    await assertRefused(chat, text('1,000'), 'typingAmount', aboveMaximum);
    await assertRefused(chat, text('100.01'), 'typingAmount', {
      code: 'amount.aboveWithdrawable',
      values: { withdrawableUsd: '100' },
    });
    // Six typed digits arrive as a code digest; as dollars they exceed the maximum.
    await assertRefused(chat, sixDigits(chat), 'typingAmount', aboveMaximum);

    const taken = await step(chat, text(' $12.50 '));
    assert.deepEqual(
      [taken.state, taken.data.amountUsd, taken.notice, taken.statements],
      ['choosingMethod', '12.5', null, 0],
    );
    await walk(chat, 'typingAmount', { type: 'step.back' }, { type: 'amount.custom' });
    const all = await step(chat, text('100.00'));
    assert.deepEqual([all.state, all.data.amountUsd, all.statements], ['choosingMethod', '100', 0]);

    await cancel(chat);
    assert.deepEqual(await footprint(user), untouched);
  });

  it('caps a user without a verified e-mail at $50', async () => {
    const user = await t.aUser('100');
    const chat = user.telegramId;
    await walk(
      chat,
      'typingAmount',
      { type: 'flow.open', flow: 'cashout' },
      { type: 'amount.custom' },
    );

    const capped = { code: 'amount.aboveNoEmailCap', values: { capUsd: '50' } };
    await assertRefused(chat, text('50.01'), 'typingAmount', capped);
    await assertRefused(chat, text('75'), 'typingAmount', capped);
    // The maximum comes first: it is the limit an e-mail would not lift.
    await assertRefused(chat, text('600'), 'typingAmount', {
      code: 'amount.aboveMaximum',
      values: { maxUsd: '500' },
    });
    const taken = await step(chat, text('50'));
    assert.deepEqual([taken.state, taken.data.amountUsd], ['choosingMethod', '50']);
    await cancel(chat);
  });

  it('refuses crypto addresses of another network, with broken checksums or absurd length', async () => {
    const user = await t.aUser('100', 'addresses@example.com');
    const chat = user.telegramId;
    const untouched = await footprint(user);
    await walk(
      chat,
      'enteringDestination',
      { type: 'flow.open', flow: 'cashout' },
      { type: 'amount.custom' },
      text('40'),
      { type: 'method.choose', method: 'crypto' },
      { type: 'asset.choose', asset: 'BTC' },
    );

    await assertRefused(chat, text(ETH_ADDRESS), 'enteringDestination', {
      code: 'address.wrongNetwork',
      values: { looksLike: 'ethereum' },
    });
    const brokenBech32 = `${BTC_ADDRESS.slice(0, -1)}j`;
    await assertRefused(chat, text(brokenBech32), 'enteringDestination', {
      code: 'address.badChecksum',
    });
    await assertRefused(chat, text('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'), 'enteringDestination', {
      code: 'address.badChecksum',
    });
    await assertRefused(chat, text('b'.repeat(10_000)), 'enteringDestination', {
      code: 'address.tooLong',
    });
    await assertRefused(chat, text(''), 'enteringDestination', { code: 'address.empty' });
    await assertRefused(chat, sixDigits(chat), 'enteringDestination', { code: 'address.invalid' });

    await walk(
      chat,
      'enteringDestination',
      { type: 'step.back' },
      { type: 'asset.choose', asset: 'USDT_ERC20' },
    );
    await assertRefused(chat, text(TRON_ADDRESS), 'enteringDestination', {
      code: 'address.wrongNetwork',
      values: { looksLike: 'tron' },
    });
    const badEip55 = `0x5aaeb${ETH_ADDRESS.slice(7)}`;
    await assertRefused(chat, text(badEip55), 'enteringDestination', {
      code: 'address.badChecksum',
    });

    const accepted = await step(chat, text(ETH_ADDRESS.toLowerCase()));
    assert.equal(accepted.state, 'choosingSave');
    assert.equal((accepted.data.destination as { address: string }).address, ETH_ADDRESS);
    await cancel(chat);
    assert.deepEqual(await footprint(user), untouched);
  });

  it('refuses account numbers that are not ten digits without asking the bank', async () => {
    const user = await t.aUser('100', 'accounts@example.com');
    const chat = user.telegramId;
    const untouched = await footprint(user);
    const { asked, restore } = spyOnAccountLookups();
    try {
      await walk(
        chat,
        'enteringDestination',
        { type: 'flow.open', flow: 'cashout' },
        { type: 'amount.custom' },
        text('40'),
        { type: 'method.choose', method: 'bank' },
        { type: 'bank.choose', bankCode: '058' },
      );

      await assertRefused(chat, text('012345678'), 'enteringDestination', {
        code: 'account.length',
        values: { digits: 9 },
      });
      await assertRefused(chat, text('01234567890'), 'enteringDestination', {
        code: 'account.length',
        values: { digits: 11 },
      });
      await assertRefused(chat, text('abcdefghij'), 'enteringDestination', {
        code: 'account.notDigits',
      });
      await assertRefused(chat, text('0123-456-789'), 'enteringDestination', {
        code: 'account.notDigits',
      });
      await assertRefused(chat, sixDigits(chat), 'enteringDestination', {
        code: 'account.length',
        values: { digits: 6 },
      });
      assert.deepEqual(asked, [], 'no malformed number reached the bank');

      // A well-formed number the bank does not know: the provider is asked, nothing is written.
      await assertRefused(chat, text(UNKNOWN_ACCOUNT), 'enteringDestination', {
        code: 'account.notFound',
      });
      assert.deepEqual(asked, [`058/${UNKNOWN_ACCOUNT}`]);
      assert.equal((await contextOf(chat)).accountNumber, null);

      stack.rails.bank.addAccount('058', '0123456789', 'ADA LOVELACE');
      const found = await step(chat, text('012 345 6789'));
      assert.deepEqual([found.state, found.notice, found.statements], ['choosingSave', null, 0]);
      assert.equal((found.data.destination as { accountName: string }).accountName, 'ADA LOVELACE');
      await cancel(chat);
    } finally {
      restore();
    }
    assert.deepEqual(await footprint(user), untouched);
  });

  it('refuses empty, long, taken and code-like labels', async () => {
    const user = await t.aUser('100', 'labels@example.com');
    const chat = user.telegramId;
    await stack.db.query(
      `INSERT INTO saved_destinations (user_id, method, asset, address, label)
       VALUES ($1, 'crypto', 'BTC', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'Cold Wallet')`,
      [user.userId],
    );
    const untouched = await footprint(user);
    await walk(
      chat,
      'typingLabel',
      { type: 'flow.open', flow: 'cashout' },
      { type: 'amount.custom' },
      text('40'),
      { type: 'method.choose', method: 'crypto' },
      { type: 'asset.choose', asset: 'BTC' },
      { type: 'destination.new' },
      text(BTC_ADDRESS),
      { type: 'destination.save' },
    );

    await assertRefused(chat, text(''), 'typingLabel', { code: 'label.empty' });
    await assertRefused(chat, text('  \t '), 'typingLabel', { code: 'label.empty' });
    const tooLong = { code: 'label.tooLong', values: { max: 32 } };
    await assertRefused(chat, text('L'.repeat(65)), 'typingLabel', tooLong);
    await assertRefused(chat, text('L'.repeat(33)), 'typingLabel', tooLong);
    await assertRefused(chat, text('cold wallet'), 'typingLabel', { code: 'label.taken' });
    await assertRefused(chat, text('tab\there'), 'typingLabel', { code: 'label.invalid' });
    await assertRefused(chat, sixDigits(chat), 'typingLabel', { code: 'label.looksLikeCode' });
    assert.equal((await contextOf(chat)).saveAs, null);

    const quoted = await step(chat, text('L'.repeat(32)));
    assert.deepEqual([quoted.state, quoted.statements], ['pricing.quoted.reviewing', 1]);
    await cancel(chat);
    assert.deepEqual(await footprint(user), untouched);
  });

  it('asks for the six digits again when anything else is typed at the code step', async () => {
    const email = 'codes@example.com';
    const user = await t.aUser('100', email);
    const chat = user.telegramId;
    await walk(
      chat,
      'pricing.quoted.awaitingCode',
      { type: 'flow.open', flow: 'cashout' },
      { type: 'amount.custom' },
      text('40'),
      { type: 'method.choose', method: 'crypto' },
      { type: 'asset.choose', asset: 'BTC' },
      text(BTC_ADDRESS),
      { type: 'destination.useOnce' },
      { type: 'cashout.confirm' },
    );
    const untouched = await footprint(user);

    for (const typed of ['hello', '12345', '1234567', '']) {
      await assertRefused(chat, text(typed), 'pricing.quoted.awaitingCode', {
        code: 'code.format',
      });
    }
    const data = (await step(chat, text('nope'))).data;
    assert.deepEqual(data, { email: 'c***@example.com' });

    await cancel(chat);
    assert.deepEqual(await footprint(user), untouched);
  });

  /** Records the accounts the worker asks the sandbox bank about, until `restore()`. */
  function spyOnAccountLookups(): { asked: string[]; restore(): void } {
    const bank = stack.rails.bank;
    const resolve = bank.resolveAccount;
    const asked: string[] = [];
    bank.resolveAccount = (bankCode, accountNumber) => {
      asked.push(`${bankCode}/${accountNumber}`);
      return resolve.call(bank, bankCode, accountNumber);
    };
    return { asked, restore: () => void (bank.resolveAccount = resolve) };
  }
});
