import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator, type RunningEmulator } from '../../bot/emulator/index.ts';
import { EmulatorClient, type ChatUser } from '../../bot/emulator/client.ts';
import { checkLedger } from '../../activities/ledger/invariants.ts';
import { conversationId, machineStateQuery } from '../../workflows/contract.ts';
import { replyTo } from '../support/chat.ts';
import { startPollingBot, type PollingBot } from '../support/polling-bot.ts';
import { startStack, type Stack } from '../support/stack.ts';

// A person's view: Telegram updates through the local Bot API emulator, the real bot, the
// real workflows and PostgreSQL, and the development mailer for codes.
describe('onboarding end to end through the Bot API emulator', () => {
  let stack: Stack;
  let emulator: RunningEmulator;
  let client: EmulatorClient;
  let polling: PollingBot;

  before(async () => {
    [stack, emulator] = await Promise.all([startStack(), startEmulator({ port: 0 })]);
    client = new EmulatorClient(emulator.url);
    polling = await startPollingBot(stack, emulator.url);
  });
  after(async () => {
    await polling?.stop();
    await emulator?.close();
    await stack?.teardown();
  });

  const textOf = (user: ChatUser) => user.lastBotMessage().then((message) => message?.text ?? '');
  const waitForText = (user: ChatUser, pattern: RegExp) =>
    user.waitFor((message) => pattern.test(message.text ?? ''), 10_000);
  const say = (user: ChatUser, text: string, pattern: RegExp) =>
    replyTo(user, () => user.send(text), pattern);
  const tap = (user: ChatUser, label: string, pattern: RegExp) =>
    replyTo(user, () => user.pressButton(label), pattern);
  const codeFor = (email: string) =>
    /(\d{6})/.exec(stack.mailer.latestTo(email)?.subject ?? '')?.[1] ?? '';
  const rows = async (sql: string, params: unknown[]) =>
    Number((await stack.db.query(sql, params))[0].n);

  async function reachEmailStep(user: ChatUser) {
    await say(user, '/start', /Welcome to LockBay/);
    return tap(user, 'Get started', /Your e-mail/);
  }

  it('advertises every command it answers', async () => {
    const listed = await client.commands();
    assert.deepEqual(listed.map((command) => command.command).sort(), [
      'cancel',
      'cashout',
      'help',
      'menu',
      'start',
      'wallet',
    ]);
  });

  it('takes a new user from /start through e-mail, code and terms to the menu', async () => {
    const ada = client.user(3001, { first_name: 'Ada', username: 'ada' });
    const emailStep = await reachEmailStep(ada);

    await ada.send('ada3001@example.com');
    await waitForText(ada, /We sent a 6-digit code to ada3001@example\.com/);
    await ada.send(codeFor('ada3001@example.com'));
    const terms = await waitForText(ada, /Terms of use/);
    assert.match(terms.text ?? '', /E-mail verified/);

    await ada.pressButton('Accept');
    const menu = await waitForText(ada, /Main menu/);
    assert.equal(menu.message_id, terms.message_id, 'a button step edits its message in place');
    assert.match(menu.text ?? '', /Wallet: \$0\.00 available/);
    assert.ok(emailStep.message_id < terms.message_id);

    const [user] = await stack.db.query(
      `SELECT email, onboarded_at FROM users WHERE telegram_id = 3001`,
    );
    assert.equal(user.email, 'ada3001@example.com');
    assert.ok(user.onboarded_at);
  });

  it('drops the prefetched context from workflow state when a user cancels midway', async () => {
    const bob = client.user(3002, { first_name: 'Bob' });
    await reachEmailStep(bob);
    const handle = stack.client.workflow.getHandle(conversationId(3002));
    const running = await handle.query(machineStateQuery);
    assert.notEqual((running?.context as { facts: unknown }).facts, null);

    await bob.send('/cancel');
    await waitForText(bob, /Cancelled/);
    const ended = await handle.query(machineStateQuery);
    assert.equal(ended?.state, 'cancelled');
    assert.equal((ended?.context as { facts: unknown }).facts, null);
  });

  it('changes state once when Telegram delivers the same /start twice', async () => {
    const cy = client.user(3003, { first_name: 'Cy' });
    const first = await cy.send('/start');
    await waitForText(cy, /Welcome to LockBay/);
    await cy.send('/start', { updateId: first.update_id });
    await waitForText(cy, /Welcome to LockBay/);
    await polling.bot.drain();

    const handle = stack.client.workflow.getHandle(conversationId(3003));
    const history = await handle.fetchHistory();
    const updates = history.events?.filter(
      (event) => event.workflowExecutionUpdateAcceptedEventAttributes,
    );
    assert.equal(updates?.length, 1);
    const runs = [];
    for await (const run of stack.client.workflow.list({
      query: `WorkflowId = "${conversationId(3003)}"`,
    })) {
      runs.push(run.runId);
    }
    assert.ok(runs.length <= 1, `one run, saw ${runs.length}`);
    await cy.send('/cancel');
    await waitForText(cy, /Cancelled/);
  });

  it('answers bad e-mail input clearly, stays on the step and writes nothing', async () => {
    const dee = client.user(3004, { first_name: 'Dee' });
    await reachEmailStep(dee);
    const cases: Array<[string, RegExp]> = [
      [' ', /Please type an e-mail address/],
      [`${'a'.repeat(4_000)}@example.com`, /too long/],
      ['🙂🙂🙂', /does not look like an e-mail address/],
      ["x'; DROP TABLE users; --", /does not look like an e-mail address/],
      ['<script>alert(1)</script>@example.com', /does not look like an e-mail address/],
      ['123456', /looks like a code/],
    ];
    for (const [input, answer] of cases) {
      const shown = await say(dee, input, answer);
      assert.match(
        shown.text ?? '',
        /Your e-mail/,
        `still on the e-mail step after ${input.slice(0, 20)}`,
      );
    }
    assert.equal(
      await rows(
        `SELECT count(*) AS n FROM email_codes c JOIN users u ON u.id = c.user_id WHERE u.telegram_id = $1`,
        [3004],
      ),
      0,
    );
    await dee.send('/cancel');
    await waitForText(dee, /Cancelled/);
  });

  it('survives wrong codes, spaced codes, an early resend and text where buttons are expected', async () => {
    const eve = client.user(3005, { first_name: 'Eve' });
    await reachEmailStep(eve);
    await say(eve, 'eve3005@example.com', /We sent a 6-digit code/);
    const right = codeFor('eve3005@example.com');
    const wrong = right === '000000' ? '111111' : '000000';

    await say(eve, `${wrong.slice(0, 3)} ${wrong.slice(3)}`, /not right\. 4 tries left/);
    await say(eve, '12 34', /6 digits from the e-mail/);
    await tap(eve, 'Resend code', /wait \d+ seconds/);
    for (const triesLeft of [3, 2, 1]) await say(eve, wrong, new RegExp(`${triesLeft} tries left`));
    await say(eve, wrong, /Too many wrong tries/);
    await say(eve, wrong, /Too many wrong tries/);
    const locked = await say(eve, right, /Too many wrong tries/);
    assert.match(locked.text ?? '', /Check your e-mail/);

    const [code] = await stack.db.query(
      `SELECT attempts, verified_at FROM email_codes c JOIN users u ON u.id = c.user_id WHERE u.telegram_id = 3005`,
    );
    assert.deepEqual(code, { attempts: 5, verified_at: null });

    await tap(eve, 'Change e-mail', /Your e-mail/);
    await tap(eve, 'Skip', /Terms of use/);
    await say(eve, 'I accept', /not expecting a message here/);
    await tap(eve, 'Decline', /Terms declined/);
  });

  it('answers buttons of earlier steps and ended conversations politely, changing nothing', async () => {
    const fay = client.user(3006, { first_name: 'Fay' });
    await say(fay, '/start', /Welcome to LockBay/);
    const first = await tap(fay, 'Get started', /Your e-mail/);
    await say(fay, 'nonsense', /does not look like an e-mail address/);

    const skip = first.reply_markup?.inline_keyboard
      .flat()
      .find((button) => button.text === 'Skip');
    const stale = await fay.press(first.message_id, skip?.callback_data ?? '');
    assert.match(await waitForAnswer(fay, stale.callback_query_id), /earlier step/);
    await say(fay, 'fay3006@example.com', /We sent a 6-digit code/);

    const current = await fay.lastBotMessage();
    await say(fay, '/cancel', /Cancelled/);
    const resend = current?.reply_markup?.inline_keyboard
      .flat()
      .find((button) => button.text === 'Resend code');
    const ended = await fay.press(current?.message_id ?? 0, resend?.callback_data ?? '');
    assert.match(await waitForAnswer(fay, ended.callback_query_id), /conversation has ended/);
  });

  it('shows names as plain text, never as markup', async () => {
    const gil = client.user(3007, { first_name: '<b>Gil</b> & co' });
    await gil.send('/start');
    const welcome = await waitForText(gil, /Welcome to LockBay/);
    assert.match(welcome.text ?? '', /Welcome to LockBay, <b>Gil<\/b> & co!/);
    assert.match(await textOf(gil), /Get started|Trade safely/);
    await gil.send('/cancel');
    await waitForText(gil, /Cancelled/);
  });

  it('credits a referred friend through the ledger, once, and the ledger checks out', async () => {
    const host = client.user(3008, { first_name: 'Hal' });
    await reachEmailStep(host);
    await tap(host, 'Skip', /Terms of use/);
    await tap(host, 'Accept', /Main menu/);
    const invite = await tap(host, 'Invite friends', /Your code/);
    const code = /Your code: (\w+)/.exec(invite.text ?? '')?.[1];
    assert.ok(code);

    const friend = client.user(3009, { first_name: 'Ivy' });
    const welcome = await say(friend, `/start ref_${code}`, /Welcome to LockBay/);
    assert.match(welcome.text ?? '', /Hal invited you: you get \$5\.00 trading credit/);
    await tap(friend, 'Get started', /Your e-mail/);
    await tap(friend, 'Skip', /Terms of use/);
    const menu = await tap(friend, 'Accept', /Main menu/);
    assert.match(menu.text ?? '', /\$5\.00 trading credit/);

    await say(friend, `/start ref_${code}`, /Main menu/);
    const report = await checkLedger(stack.db);
    assert.deepEqual(report.violations, []);
    const [bonus] = await stack.db.query(
      `SELECT count(*)::int AS n FROM ledger_transfers WHERE kind = 'referral_bonus'`,
    );
    assert.equal(bonus.n, 1);
  });
});

async function waitForAnswer(user: ChatUser, callbackQueryId: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  let seq = 0;
  while (Date.now() < deadline) {
    const log = await user.events(seq, 1_000);
    seq = log.seq;
    const answer = log.events.find(
      (event) => event.kind === 'callback_answer' && event.callback_query_id === callbackQueryId,
    );
    if (answer && answer.kind === 'callback_answer') return answer.text ?? '';
  }
  throw new Error(`no answer to callback ${callbackQueryId}\n${await user.transcript()}`);
}
