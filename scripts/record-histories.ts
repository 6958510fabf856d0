/**
 * `npm run replay:record`: runs the scenarios of test/replay/scenarios.ts against a fresh
 * Temporal dev server and database, and writes each workflow's history to
 * test/replay/histories/<scenario>.json. Re-record when a change is meant to break replay,
 * and version the change with patched() when running flows must survive it.
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { conversationId } from '../workflows/contract.ts';
import { partyOf, scenarios } from '../test/replay/scenarios.ts';
import { startStack } from '../test/support/stack.ts';

const folder = join(import.meta.dirname, '..', 'test', 'replay', 'histories');
const stack = await startStack({ env: { FLOW_INACTIVITY_SECONDS: '2' } });
let updateId = 1;

try {
  for (const scenario of scenarios) {
    await scenario.run(stack, async (event) => {
      const request = { updateId: updateId++, from: scenario.chat, event };
      await stack.conversations.deliver(partyOf(scenario.chat), request);
    });
    const handle = stack.client.workflow.getHandle(conversationId(scenario.chat));
    await handle.result();
    const file = join(folder, `${scenario.name}.json`);
    await writeFile(file, `${historyToJSON(await handle.fetchHistory())}\n`);
    console.log(`recorded ${scenario.name} → ${file}`);
  }
} finally {
  await stack.teardown();
}
