import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

const banned = '@typescript-eslint/no-restricted-imports';

describe('the rooms are enforced by lint', () => {
  for (const source of [
    `import { DataSource } from 'typeorm';`,
    `import pg from 'pg';`,
    `import { Bot } from 'node-telegram-bot-api';`,
    `import { readFile } from 'node:fs/promises';`,
    `import { createHmac } from 'crypto';`,
    `import pino from 'pino';`,
    `import { createOnboardingActivities } from '../activities/onboarding.ts';`,
    `import { loadConfig } from '../activities/config.ts';`,
    `import { TelegramBot } from '../bot/telegram-bot.ts';`,
  ]) {
    it(`rejects in a workflow: ${source}`, async () => {
      assert.ok(
        (await problems('workflows/example.ts', `${source}\nexport {};\n`)).includes(banned),
      );
    });
  }

  it('lets a workflow import activity types and the contract', async () => {
    const code = `import type { OnboardingActivities } from '../activities/onboarding.ts';
import { stepUpdate } from './contract.ts';
export type A = OnboardingActivities;
export const u = stepUpdate;\n`;
    assert.deepEqual(await problems('workflows/example.ts', code), []);
  });

  it('keeps machines free of Temporal', async () => {
    const code = `import { proxyActivities } from '@temporalio/workflow';\nexport const p = proxyActivities;\n`;
    assert.ok((await problems('machines/example.ts', code)).includes(banned));
  });

  it('lets the bot import the contract but no workflow implementation', async () => {
    const contract = `import { stepUpdate } from '../workflows/contract.ts';\nexport const u = stepUpdate;\n`;
    const implementation = `import { onboardingFlow } from '../workflows/onboarding.ts';\nexport const f = onboardingFlow;\n`;
    assert.deepEqual(await problems('bot/example.ts', contract), []);
    assert.ok((await problems('bot/example.ts', implementation)).includes(banned));
  });
});
