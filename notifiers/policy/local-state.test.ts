// The local fallback file: a state written before the flaky state was renamed (migration
// 1780000000900) still reads, as `flaky`, so the offline path decides like the database does.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { localStateDir, withLocalPolicyState } from './local-state.ts';
import { stateRow } from '../../test/helpers/policy.ts';

test('a fallback file naming the flaky state degraded reads it as flaky', async (t) => {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'wm-local-state-'));
  t.after(() => rm(stateDir, { recursive: true, force: true }));
  await mkdir(localStateDir(stateDir), { recursive: true });
  const old = { ...stateRow({ workflowId: 'w', flakySince: new Date('2025-11-15T09:00:00Z') }), state: 'degraded' };
  const other = stateRow({ workflowId: 'v', state: 'down' });
  const file = { workflows: { w: { state: old, observations: [], stateChanges: [] }, v: { state: other } }, sent: [] };
  await writeFile(path.join(localStateDir(stateDir), 'policy-state.json'), JSON.stringify(file));
  const read = await withLocalPolicyState(stateDir, (s) => s.workflows);
  assert.equal(read.w?.state.state, 'flaky');
  assert.deepEqual(read.w?.state.flakySince, new Date('2025-11-15T09:00:00Z'));
  assert.equal(read.v?.state.state, 'down');
});
