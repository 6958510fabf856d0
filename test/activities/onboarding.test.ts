import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../activities/db/data-source.ts';
import { QueryCounter } from '../../activities/db/query-counter.ts';
import { DevMailer } from '../../activities/mail/dev-mailer.ts';
import { createLedger } from '../../activities/ledger/index.ts';
import { checkLedger } from '../../activities/ledger/invariants.ts';
import { createMenuActivities } from '../../activities/menu.ts';
import { createOnboardingActivities } from '../../activities/onboarding.ts';
import { codeDigest } from '../../activities/otp.ts';
import { aParty } from '../support/builders.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const otp = {
  secret: 'a-test-secret-of-at-least-thirty-two-chars',
  ttlSeconds: 600,
  maxAttempts: 5,
  resendCooldownSeconds: 60,
  maxSendsPerHour: 5,
};

describe('onboarding activities on PostgreSQL', () => {
  let database: TestDatabase;
  let db: DataSource;
  const queries = new QueryCounter();
  let mailer: DevMailer;
  let onboarding: ReturnType<typeof createOnboardingActivities>;
  let keys = 0;
  const key = () => `test/${++keys}`;

  before(async () => {
    database = await createTestDatabase();
    db = await openDatabase({ url: database.url, logger: queries });
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });
  beforeEach(() => {
    mailer = new DevMailer();
    onboarding = createOnboardingActivities({
      db,
      mailer,
      admins: [42],
      otp,
      referralBonusUsd: '5',
      ledger: createLedger({ db }),
    });
  });

  const party = (id: number) => aParty({ chatId: id, telegramUserId: id, firstName: `U${id}` });
  const codeIn = (email: string) =>
    /(\d{6})/.exec(mailer.latestTo(email)?.subject ?? '')?.[1] ?? '';
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query(sql, params))[0].n);

  it('prefetches the whole context in exactly one statement, creating the user', async () => {
    const { result, tally } = await queries.count(() =>
      onboarding.prefetchOnboardingContext({ party: party(1), referralCode: null }),
    );
    assert.equal(tally.statements, 1, tally.sql.join('\n'));
    assert.equal(result.menu.onboarded, false);
    assert.equal(result.menu.wallets, null);
    assert.match(result.menu.referralCode, /^[A-Z2-9]{8}$/);
    assert.equal(result.referrer, null);
  });

  it('mirrors admins from configuration and keeps the referral code on later contacts', async () => {
    const first = await onboarding.prefetchOnboardingContext({
      party: party(42),
      referralCode: null,
    });
    const again = await onboarding.prefetchOnboardingContext({
      party: party(42),
      referralCode: null,
    });
    assert.equal(first.menu.isAdmin, true);
    assert.equal(again.menu.referralCode, first.menu.referralCode);
  });

  it('sends a code in one statement, stores only its digest, and verifies it in one', async () => {
    await onboarding.prefetchOnboardingContext({ party: party(2), referralCode: null });
    const sent = await queries.count(() =>
      onboarding.sendEmailCode({
        telegramUserId: 2,
        email: 'two@example.com',
        idempotencyKey: key(),
      }),
    );
    assert.equal(sent.tally.statements, 1);
    assert.equal(sent.result.outcome, 'sent');

    const code = codeIn('two@example.com');
    const stored = await db.query('SELECT code_hash FROM email_codes WHERE email = $1', [
      'two@example.com',
    ]);
    assert.equal(stored[0].code_hash, codeDigest(otp.secret, 2, code));
    assert.ok(!JSON.stringify(stored).includes(code));

    const id = sent.result.outcome === 'sent' ? sent.result.verificationId : '';
    const verified = await queries.count(() =>
      onboarding.verifyEmailCode({
        telegramUserId: 2,
        verificationId: id,
        digest: codeDigest(otp.secret, 2, code),
        idempotencyKey: key(),
      }),
    );
    assert.equal(verified.tally.statements, 1);
    assert.deepEqual(verified.result, { outcome: 'verified' });
  });

  it('kills a code after five wrong tries; a sixth changes nothing', async () => {
    await onboarding.prefetchOnboardingContext({ party: party(3), referralCode: null });
    const sent = await onboarding.sendEmailCode({
      telegramUserId: 3,
      email: 'three@example.com',
      idempotencyKey: key(),
    });
    const id = sent.outcome === 'sent' ? sent.verificationId : '';
    const right = codeDigest(otp.secret, 3, codeIn('three@example.com'));

    const outcomes = [];
    for (let i = 0; i < 6; i += 1) {
      const wrong = codeDigest(otp.secret, 3, String(i).padStart(6, '9'));
      outcomes.push(
        await onboarding.verifyEmailCode({
          telegramUserId: 3,
          verificationId: id,
          digest: wrong,
          idempotencyKey: key(),
        }),
      );
    }
    assert.deepEqual(
      outcomes.map((o) => (o.outcome === 'wrong' ? o.triesLeft : o.outcome)),
      [4, 3, 2, 1, 'locked', 'locked'],
    );
    assert.deepEqual(
      await onboarding.verifyEmailCode({
        telegramUserId: 3,
        verificationId: id,
        digest: right,
        idempotencyKey: key(),
      }),
      { outcome: 'locked' },
    );
    assert.equal(await count('SELECT attempts AS n FROM email_codes WHERE id = $1', [id]), 5);
  });

  it('counts a retried wrong try once', async () => {
    await onboarding.prefetchOnboardingContext({ party: party(4), referralCode: null });
    const sent = await onboarding.sendEmailCode({
      telegramUserId: 4,
      email: 'four@example.com',
      idempotencyKey: key(),
    });
    const id = sent.outcome === 'sent' ? sent.verificationId : '';
    const attempt = {
      telegramUserId: 4,
      verificationId: id,
      digest: 'nope',
      idempotencyKey: key(),
    };

    assert.deepEqual(await onboarding.verifyEmailCode(attempt), { outcome: 'wrong', triesLeft: 4 });
    assert.deepEqual(await onboarding.verifyEmailCode(attempt), { outcome: 'wrong', triesLeft: 4 });
  });

  it('refuses a resend inside the cooldown without writing or mailing anything', async () => {
    await onboarding.prefetchOnboardingContext({ party: party(5), referralCode: null });
    await onboarding.sendEmailCode({
      telegramUserId: 5,
      email: 'five@example.com',
      idempotencyKey: key(),
    });
    const rows = await count('SELECT count(*) AS n FROM email_codes');

    const again = await onboarding.sendEmailCode({
      telegramUserId: 5,
      email: 'five@example.com',
      idempotencyKey: key(),
    });
    assert.equal(again.outcome, 'cooldown');
    assert.ok(
      again.outcome === 'cooldown' && again.retryInSeconds > 0 && again.retryInSeconds <= 60,
    );
    assert.equal(await count('SELECT count(*) AS n FROM email_codes'), rows);
    assert.equal(mailer.kept.length, 1);
  });

  it('does not make a code already used delay the next one (a cashout right after sign-up)', async () => {
    await onboarding.prefetchOnboardingContext({ party: party(15), referralCode: null });
    const first = await onboarding.sendEmailCode({
      telegramUserId: 15,
      email: 'fifteen@example.com',
      idempotencyKey: key(),
    });
    assert.equal(first.outcome, 'sent');
    await db.query('UPDATE email_codes SET verified_at = now() WHERE id = $1', [
      first.outcome === 'sent' ? first.verificationId : '',
    ]);

    const next = await onboarding.sendEmailCode({
      telegramUserId: 15,
      email: 'fifteen@example.com',
      idempotencyKey: key(),
      purpose: 'cashout',
    });
    assert.equal(next.outcome, 'sent');
    assert.match(mailer.kept.at(-1)?.subject ?? '', /^\d{6} confirms your LockBay cashout$/);
  });

  it('allows five codes an hour', async () => {
    await onboarding.prefetchOnboardingContext({ party: party(6), referralCode: null });
    await db.query(
      `INSERT INTO email_codes (user_id, email, code_hash, idempotency_key, expires_at, created_at)
       SELECT u.id, 'six@example.com', 'x', 'old-' || n, now(), now() - (n * interval '2 minutes')
       FROM users u, generate_series(1, 5) n WHERE u.telegram_id = 6`,
    );
    const refused = await onboarding.sendEmailCode({
      telegramUserId: 6,
      email: 'six@example.com',
      idempotencyKey: key(),
    });
    assert.equal(refused.outcome, 'hourlyLimit');
    assert.ok(
      refused.outcome === 'hourlyLimit' &&
        refused.retryInMinutes >= 49 &&
        refused.retryInMinutes <= 51,
    );
  });

  it('re-issues the same row when a send is retried with its key, counting one send', async () => {
    await onboarding.prefetchOnboardingContext({ party: party(7), referralCode: null });
    const sameKey = key();
    const first = await onboarding.sendEmailCode({
      telegramUserId: 7,
      email: 'seven@example.com',
      idempotencyKey: sameKey,
    });
    const retry = await onboarding.sendEmailCode({
      telegramUserId: 7,
      email: 'seven@example.com',
      idempotencyKey: sameKey,
    });
    assert.equal(retry.outcome, 'sent');
    assert.equal(
      first.outcome === 'sent' &&
        retry.outcome === 'sent' &&
        first.verificationId === retry.verificationId,
      true,
    );
    assert.equal(
      await count(
        `SELECT count(*) AS n FROM email_codes e JOIN users u ON u.id = e.user_id WHERE u.telegram_id = 7`,
      ),
      1,
    );
  });

  it('will not send a code to an address another account uses, without saying which', async () => {
    await onboarding.prefetchOnboardingContext({ party: party(8), referralCode: null });
    await db.query(`UPDATE users SET email = 'taken@example.com' WHERE telegram_id = 8`);
    await onboarding.prefetchOnboardingContext({ party: party(9), referralCode: null });

    const result = await onboarding.sendEmailCode({
      telegramUserId: 9,
      email: 'Taken@Example.com',
      idempotencyKey: key(),
    });
    assert.deepEqual(result, { outcome: 'emailTaken' });
    assert.equal(mailer.kept.length, 0);
  });

  it('finishes in one transaction: onboarded, e-mail kept, ledger accounts, bonus once', async () => {
    const referrer = await onboarding.prefetchOnboardingContext({
      party: party(10),
      referralCode: null,
    });
    const code = referrer.menu.referralCode;
    const facts = await onboarding.prefetchOnboardingContext({
      party: party(11),
      referralCode: code,
    });
    assert.deepEqual(facts.referrer, { firstName: 'U10', username: 'ada' });

    const sent = await onboarding.sendEmailCode({
      telegramUserId: 11,
      email: 'eleven@example.com',
      idempotencyKey: key(),
    });
    const id = sent.outcome === 'sent' ? sent.verificationId : '';
    await onboarding.verifyEmailCode({
      telegramUserId: 11,
      verificationId: id,
      digest: codeDigest(otp.secret, 11, codeIn('eleven@example.com')),
      idempotencyKey: key(),
    });

    const finish = { telegramUserId: 11, verificationId: id, referralCode: code };
    const done = await queries.count(() => onboarding.finishOnboarding(finish));
    assert.deepEqual(done.tally.sql.map(statementKind), [
      'START TRANSACTION',
      'WITH me AS', // the user: onboarded, e-mail, referrer
      'WITH wanted AS', // the USD and NGN accounts
      'WITH wanted AS', // the referral programme's account
      'SAVEPOINT',
      'WITH legs AS', // the bonus transfer
      'RELEASE SAVEPOINT',
      'SELECT json_build_object', // the menu
      'COMMIT',
    ]);
    assert.equal(done.result.outcome, 'done');
    const menu = done.result.outcome === 'done' ? done.result.menu : null;
    assert.equal(menu?.onboarded, true);
    assert.equal(menu?.wallets?.USD.tradingCredit, '5.000000000000000000');
    assert.equal(menu?.wallets?.NGN.tradingCredit, '0.000000000000000000');

    const retried = await onboarding.finishOnboarding(finish);
    assert.equal(
      retried.outcome === 'done' && retried.menu.wallets?.USD.tradingCredit,
      '5.000000000000000000',
    );
    assert.equal((await checkLedger(db)).ok, true);
    const [user] = await db.query(
      `SELECT email, referrer_id IS NOT NULL AS referred FROM users WHERE telegram_id = 11`,
    );
    assert.deepEqual(user, { email: 'eleven@example.com', referred: true });
    assert.equal(
      await count(
        `SELECT count(*) AS n FROM ledger_accounts a JOIN users u ON u.id = a.owner_user_id
         WHERE u.telegram_id = 11`,
      ),
      6,
    );
    assert.equal(
      await count(`SELECT count(*) AS n FROM ledger_transfers WHERE kind = 'referral_bonus'`),
      1,
    );

    const referrerMenu = await createMenuActivities({ db, admins: [] }).prefetchMenuContext({
      party: party(10),
    });
    assert.equal(referrerMenu.referralCount, 1);
  });

  it('does not let a user refer themselves', async () => {
    const self = await onboarding.prefetchOnboardingContext({
      party: party(12),
      referralCode: null,
    });
    const facts = await onboarding.prefetchOnboardingContext({
      party: party(12),
      referralCode: self.menu.referralCode,
    });
    assert.equal(facts.referrer, null);
    const done = await onboarding.finishOnboarding({
      telegramUserId: 12,
      verificationId: null,
      referralCode: self.menu.referralCode,
    });
    assert.equal(
      done.outcome === 'done' && done.menu.wallets?.USD.tradingCredit,
      '0.000000000000000000',
    );
  });

  it('prefetches the menu in one statement', async () => {
    const menu = createMenuActivities({ db, admins: [] });
    const { tally } = await queries.count(() => menu.prefetchMenuContext({ party: party(13) }));
    assert.equal(tally.statements, 1);
  });
});

/** The first words of a logged statement, enough to tell statements apart. */
function statementKind(sql: string): string {
  const words = sql.trim().split(/\s+/);
  const [first = '', second = '', third = ''] = words;
  if (first === 'SELECT') return `${first} ${second.replace(/\(.*/, '')}`;
  if (first === 'WITH') return `${first} ${second} ${third}`;
  if (first === 'RELEASE') return `${first} ${second}`;
  if (first === 'START') return `${first} ${second}`;
  return first;
}
