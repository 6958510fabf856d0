import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { lockbayDataConverter } from '../../activities/codec/data-converter.ts';
import { loadConfig } from '../../activities/config.ts';
import { recordedFiles } from './scenarios.ts';
import { workflowBundle } from '../support/stack.ts';

const folder = join(import.meta.dirname, 'histories');

// Histories of real runs, recorded by `npm run replay:record`. A change to workflow code that
// would break a running flow fails here; version it with patched() instead.
describe('recorded histories replay on the current workflow code', async () => {
  const files = (await readdir(folder)).filter((file) => file.endsWith('.json')).sort();

  it('has a recording for every scenario', () => {
    assert.deepEqual(files, recordedFiles().sort());
  });

  for (const file of files) {
    it(`replays ${file}`, async () => {
      const history = historyFromJSON(JSON.parse(await readFile(join(folder, file), 'utf8')));
      // Recorded with the local payload key, which a run without PAYLOAD_KEYS uses.
      const dataConverter = lockbayDataConverter(loadConfig({}).payloadKeys);
      await Worker.runReplayHistory(
        { workflowBundle: await workflowBundle(), dataConverter },
        history,
        file,
      );
    });
  }
});
