/**
 * `npm run replay:record [-- <scenario> …]`: runs the scenarios of test/replay/scenarios.ts
 * (all, or those named) against a fresh Temporal dev server and database, and writes each
 * workflow's history to test/replay/histories/<scenario>[.<other>].json. Re-record when a
 * change is meant to break replay, and version the change with patched() when running flows
 * must survive it. Name only new scenarios to keep the old recordings as running flows saw them.
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conversationId } from '../workflows/contract.ts';
import { partyOf, scenarios } from '../test/replay/scenarios.ts';
import { startStack } from '../test/support/stack.ts';

const folder = join(import.meta.dirname, '..', 'test', 'replay', 'histories');
const named = process.argv.slice(2);
const unknown = named.filter((name) => !scenarios.some((scenario) => scenario.name === name));
if (unknown.length > 0) throw new Error(`no scenario named ${unknown.join(', ')}`);
const chosen = named.length > 0 ? scenarios.filter((s) => named.includes(s.name)) : scenarios;

const stack = await startStack({
  env: {
    FLOW_INACTIVITY_SECONDS: '2',
    // Nothing listens there: a payout learns its outcome by polling, on short timers.
    PUBLIC_URL: 'http://127.0.0.1:9',
    PAYOUT_POLL_INITIAL_SECONDS: '1',
    PAYOUT_POLL_MAX_SECONDS: '2',
  },
});
let updateId = 1;

try {
  for (const scenario of chosen) {
    const others = await scenario.run(stack, async (event) => {
      const request = { updateId: updateId++, from: scenario.chat, event };
      const delivery = await stack.conversations.deliver(partyOf(scenario.chat), request);
      if (delivery.kind !== 'screen') throw new Error(`${event.type}: ${JSON.stringify(delivery)}`);
      return delivery.result;
    });
    const workflows = { '': conversationId(scenario.chat), ...others };
    for (const [other, workflowId] of Object.entries(workflows)) {
      const handle = stack.client.workflow.getHandle(workflowId);
      await handle.result();
      const file = join(folder, `${scenario.name}${other ? `.${other}` : ''}.json`);
      await writeFile(file, `${historyToJSON(await handle.fetchHistory())}\n`);
      console.log(`recorded ${workflowId} → ${file}`);
    }
  }
} finally {
  await stack.teardown();
}
