/**
 * `npm run bench -- --ledger`: the ledger's transfer throughput (scripts/bench-ledger.ts).
 * `npm run bench -- --webhooks`: provider webhook acknowledgement (scripts/bench-webhooks.ts).
 *
 * `npm run bench -- --flow onboarding|cashout --users 50 [--padding 8] [--think-ms 0]`: drives
 * simulated users through a flow at once, against Temporal and PostgreSQL started the way
 * `npm start` starts them (or TEMPORAL_ADDRESS / DATABASE_URL), with the worker in this process
 * (scripts/bench-flow.ts; the cashout's users are in scripts/bench-cashout.ts). Prints one JSON
 * object on its last line. `--padding N` adds N back-and-forth pairs to each conversation so
 * that late Updates of a long flow are measured too; `--think-ms N` waits about N ms (0.5–1.5×)
 * between a user's steps, as a person would, instead of sending the next one at once.
 */
import { parseArgs } from 'node:util';
import { codeDigest } from '../activities/otp.ts';
import { cashoutBench, cashoutEnv } from './bench-cashout.ts';
import { runFlowBench, startBenchStack, type BenchStack, type FlowBench } from './bench-flow.ts';

const { values: args } = parseArgs({
  options: {
    flow: { type: 'string', default: 'onboarding' },
    users: { type: 'string', default: '50' },
    padding: { type: 'string', default: '8' },
    'think-ms': { type: 'string', default: '0' },
    ledger: { type: 'boolean', default: false },
    webhooks: { type: 'boolean', default: false },
  },
});

if (args.webhooks) {
  const { benchWebhooks } = await import('./bench-webhooks.ts');
  console.log(JSON.stringify(await benchWebhooks()));
  process.exit(0);
}
if (args.ledger) {
  const { benchLedger } = await import('./bench-ledger.ts');
  console.log(JSON.stringify(await benchLedger()));
  process.exit(0);
}
const users = Number(args.users);
const padding = Number(args.padding);
// A person reads and types between steps; 0 sends each step the moment the last one answered.
const thinkMs = Number(args['think-ms']);

if (args.flow !== 'onboarding' && args.flow !== 'cashout')
  throw new Error(`no bench for flow "${args.flow}" yet; try --flow onboarding or --flow cashout`);

const stack = await startBenchStack(args.flow === 'cashout' ? cashoutEnv : {});
const bench = args.flow === 'cashout' ? cashoutBench(stack, padding) : onboardingBench(stack);
const report = await runFlowBench(stack, bench, { users, thinkMs });
await stack.stop();
console.log(JSON.stringify(report));

/** Each user: the whole onboarding, with a mistyped e-mail, a wrong code and back-and-forth. */
function onboardingBench(stack: BenchStack): FlowBench {
  return {
    flow: 'onboarding',
    async converse(chat, step) {
      const email = `bench${chat}@example.com`;
      await step('prefetch', { type: 'flow.open', flow: 'onboarding' });
      await step('move', { type: 'onboarding.begin' });
      await step('move', { type: 'text.entered', text: 'not an e-mail address' });
      for (let i = 0; i < padding; i += 1) {
        await step('move', { type: 'step.back' });
        await step('move', { type: 'onboarding.begin' });
      }
      await step('commit', { type: 'text.entered', text: email });
      await step('commit', { type: 'code.entered', digest: 'a-wrong-digest' });
      const code = /(\d{6})/.exec(stack.mailer.latestTo(email)?.subject ?? '')?.[1] ?? '';
      const digest = codeDigest(stack.config.otp.secret, chat, code);
      await step('commit', { type: 'code.entered', digest });
      await step('commit', { type: 'terms.accept' });
    },
  };
}
