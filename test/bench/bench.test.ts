import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs `npm run bench -- <args>` and parses the JSON on its last line. */
async function bench(args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run('npm', ['run', '--silent', 'bench', '--', ...args], {
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Record<string, unknown>;
}

// The benches are measured by hand (numbers go in the issue notes); this keeps them runnable.
describe('the benches still run and print their JSON', () => {
  it('onboarding, with two users', async () => {
    const report = await bench(['--flow', 'onboarding', '--users', '2', '--padding', '0']);
    assert.equal(report.flow, 'onboarding');
    assert.equal(report.steps, 2 * 7);
    assert.deepEqual(report.sql, { prefetch: 1, perStepRead: 0, perCommit: 5 });
    assert.ok((report.latencyMs as { byStep: number[] }).byStep.length === 7);
  });

  it('cashout, with two users: the statements per step and every payout paid', async () => {
    const report = await bench(['--flow', 'cashout', '--users', '2', '--padding', '0']);
    assert.equal(report.flow, 'cashout');
    assert.equal(report.steps, 2 * 12);
    // The commit step checks the e-mailed code (one statement), then commits in one
    // transaction of seven.
    assert.deepEqual(report.sql, {
      prefetch: 1,
      perStepRead: 0,
      perCommit: 8,
      perQuote: 1,
      perCodeSent: 1,
      transactionsPerCommit: 1,
    });
    assert.equal((report.payouts as { succeeded: number }).succeeded, 2);
    const latency = report.latencyMs as Record<string, unknown>;
    assert.deepEqual(Object.keys(latency.byKind as object).sort(), [
      'commit',
      'move',
      'prefetch',
      'quote',
      'sendCode',
    ]);
  });
});
