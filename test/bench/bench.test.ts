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
});
