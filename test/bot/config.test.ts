import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseEnv } from 'node:util';
import { ConfigError, loadConfig } from '../../activities/config.ts';

describe('configuration', () => {
  it('runs locally with nothing set: emulator, embedded services, dev mailer', () => {
    const config = loadConfig({});
    assert.equal(config.telegram.usesEmulator, true);
    assert.equal(config.telegram.apiRoot, 'http://127.0.0.1:8081');
    assert.equal(config.sandboxPage.port, 8090);
    assert.equal(config.database.url, undefined);
    assert.equal(config.temporal.address, undefined);
    assert.equal(config.mail.transport, 'dev');
    assert.equal(config.flows.inactivityMs, 30 * 60_000);
  });

  it('accepts .env.example as it stands', () => {
    const example = parseEnv(readFileSync('.env.example', 'utf8'));
    assert.equal(loadConfig(example).mail.from, 'LockBay <no-reply@lockbay.local>');
  });

  it('reports every problem at once', () => {
    const error = (() => {
      try {
        loadConfig({
          BOT_TOKEN: '123:abc',
          TELEGRAM_WEBHOOK_URL: 'https://example.com/telegram',
          ADMIN_TELEGRAM_IDS: '12, nope',
          MAIL_TRANSPORT: 'smtp',
          HTTP_PORT: '99999',
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(error instanceof ConfigError);
    const fields = error.problems.map((problem) => problem.split(':')[0]).sort();
    assert.deepEqual(fields, [
      'ADMIN_TELEGRAM_IDS',
      'HTTP_PORT',
      'OTP_SECRET',
      'PAYLOAD_KEYS',
      'SANDBOX_WEBHOOK_SECRET',
      'SMTP_URL',
      'TELEGRAM_WEBHOOK_SECRET',
    ]);
  });

  it('never fails open: a real bot token needs its own OTP secret and payload keys', () => {
    assert.throws(
      () => loadConfig({ BOT_TOKEN: '123:abc' }),
      /OTP_SECRET: required when BOT_TOKEN is set/,
    );
    assert.throws(
      () => loadConfig({ BOT_TOKEN: '123:abc' }),
      /PAYLOAD_KEYS: required when BOT_TOKEN is set/,
    );
    assert.throws(() => loadConfig({ PAYLOAD_KEYS: 'k1:c2hvcnQ=' }), /each key 32 bytes/);
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({
      BOT_TOKEN: '123:abc',
      OTP_SECRET: 's'.repeat(32),
      PAYLOAD_KEYS: `new:${key},old:${Buffer.alloc(32, 1).toString('base64')}`,
      ADMIN_TELEGRAM_IDS: '1,2',
      SANDBOX_WEBHOOK_SECRET: 'a-staging-sandbox-secret',
    });
    assert.deepEqual(
      config.payloadKeys.map((k) => k.id),
      ['new', 'old'],
    );
    assert.equal(config.telegram.apiRoot, 'https://api.telegram.org');
    assert.deepEqual(config.admins, [1, 2]);
  });

  it('refuses a real payment provider without its secrets', () => {
    const problems = (() => {
      try {
        loadConfig({ CRYPTO_PROCESSOR: 'blockbee', CRYPTO_PAYOUTS: 'kraken', NGN_BANK: 'fincra' });
      } catch (caught) {
        return (caught as ConfigError).problems;
      }
      return [];
    })();
    assert.deepEqual(problems.map((problem) => problem.split(':')[0]).sort(), [
      'BLOCKBEE_API_KEY',
      'FINCRA_BUSINESS_ID',
      'FINCRA_SECRET_KEY',
      'FINCRA_WEBHOOK_SECRET',
      'KRAKEN_API_KEY',
      'KRAKEN_API_SECRET',
    ]);
    assert.equal(loadConfig({}).providers.cryptoProcessor.kind, 'sandbox');
  });
});
