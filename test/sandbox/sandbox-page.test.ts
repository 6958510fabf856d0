import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { type Browser, type Page, chromium } from 'playwright-core';

import { type RunningEmulator, startEmulator } from '../../bot/emulator/index.ts';
import { createLogger } from '../../bot/logger.ts';
import { type RunningSandboxPage, startSandboxPage } from '../../bot/sandbox/index.ts';
import { type Stack, startStack } from '../support/stack.ts';
import { startPollingBot, type PollingBot } from '../support/polling-bot.ts';

const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps calling Google, which a CI box refuses.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--disable-component-update',
  '--no-first-run',
];
const SCREENSHOT = resolve('test-results/sandbox-onboarding.png');
const STEP_MS = 15_000;

// A person's view of `npm start` without a bot token: the sandbox page in a real browser, in
// front of the emulator, the real bot, workflows, PostgreSQL and the development mailer's outbox.
describe(
  'the sandbox page in a browser',
  { skip: !existsSync(CHROMIUM) && `no ${CHROMIUM}: apt-get install chromium` },
  () => {
    let scratch: string;
    let stack: Stack;
    let emulator: RunningEmulator;
    let polling: PollingBot;
    let sandbox: RunningSandboxPage;
    let browser: Browser;

    before(async () => {
      scratch = await mkdtemp(join(tmpdir(), 'lockbay-sandbox-'));
      const outboxDir = join(scratch, 'outbox');
      [stack, emulator, browser] = await Promise.all([
        startStack({ outboxDir }),
        startEmulator({ port: 0 }),
        chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
      ]);
      polling = await startPollingBot(stack, emulator.url);
      sandbox = await startSandboxPage({
        port: 0,
        emulatorUrl: emulator.url,
        outboxDir,
        cacheDir: join(scratch, 'vite'),
        logger: createLogger('silent'),
      });
    });

    after(async () => {
      await browser?.close();
      await sandbox?.close();
      await polling?.stop();
      await emulator?.close();
      await stack?.teardown();
      if (scratch) await rm(scratch, { recursive: true, force: true });
    });

    const newestBotMessage = (page: Page) => page.locator('.message[data-from="bot"]').last();
    const waitForBot = (page: Page, text: string | RegExp) =>
      newestBotMessage(page).filter({ hasText: text }).waitFor({ timeout: STEP_MS });
    const tap = (page: Page, label: string) =>
      newestBotMessage(page).getByRole('button', { name: label, exact: true }).click();
    const type = async (page: Page, text: string) => {
      await page.getByLabel('Message').fill(text);
      await page.keyboard.press('Enter');
    };

    async function openAsNewUser(page: Page, name: string, id: number) {
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Telegram id').fill(String(id));
      await page.getByRole('button', { name: 'Start chatting' }).click();
      await page.getByText(`You are ${name} · ${id}`).waitFor();
      assert.equal(new URL(page.url()).searchParams.get('user'), String(id));
    }

    it('onboards a user by clicking and typing, the code read off the sandbox panel', async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
      await page.goto(sandbox.url);
      await page.getByText('No sandbox providers yet').waitFor();
      await openAsNewUser(page, 'Ada', 4001);

      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('menuitem', { name: /\/start\s*Start or resume LockBay/ }).click();
      await waitForBot(page, 'Welcome to LockBay, Ada!');
      const welcome = await newestBotMessage(page).getAttribute('data-message-id');
      await tap(page, 'Get started');
      await waitForBot(page, 'Your e-mail (optional)');
      assert.equal(await newestBotMessage(page).getAttribute('data-message-id'), welcome);

      await type(page, 'ada4001@example.com');
      await waitForBot(page, 'We sent a 6-digit code to ada4001@example.com');
      const mail = page.locator('.mail').filter({ hasText: 'to ada4001@example.com' });
      const code =
        (await mail.locator('mark.code').first().textContent({ timeout: STEP_MS })) ?? '';
      assert.match(code, /^\d{6}$/);
      await type(page, code);
      await waitForBot(page, 'Terms of use');
      await tap(page, 'Accept');
      await waitForBot(page, /Main menu[\s\S]*Wallet: \$0\.00 available/);
      await newestBotMessage(page).getByText('edited').waitFor();

      await mkdir(resolve(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
      await page.close();
    });

    it('plays a second user in another tab without touching the first', async () => {
      const ada = await browser.newPage();
      await ada.goto(`${sandbox.url}/?user=4001`);
      await waitForBot(ada, 'Main menu');
      const adaMessages = await ada.locator('.message').count();

      const bo = await browser.newPage();
      await bo.goto(sandbox.url);
      await bo.getByRole('button', { name: /Ada\s*4001/ }).waitFor();
      await openAsNewUser(bo, 'Bo', 4002);
      await type(bo, '/start');
      await waitForBot(bo, 'Welcome to LockBay, Bo!');
      await tap(bo, 'Cancel');
      await waitForBot(bo, 'Cancelled');

      assert.equal(await ada.locator('.message').count(), adaMessages);
      assert.equal(await ada.locator('.message').filter({ hasText: 'Bo!' }).count(), 0);
      await bo.getByRole('button', { name: 'Switch user' }).click();
      await bo.getByRole('button', { name: /Ada\s*4001/ }).click();
      await waitForBot(bo, 'Main menu');
      await Promise.all([ada.close(), bo.close()]);
    });
  },
);
