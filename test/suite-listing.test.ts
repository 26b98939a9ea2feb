// The suite as Playwright sees it: exactly the six workflows, each well described, and tag
// selection that is exact. Every spec is checked, so a future workflow with a bad schedule
// or a duplicate id fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { specDir } from './helpers/daemon-harness.ts';
import { allSpecs, repoRoot, runPlaywright } from './helpers/playwright-run.ts';
import { cronProblem } from '../core/cron.ts';
import { exactTagGrep, priorities } from '../core/workflow.ts';

const expected = {
  'health-check': ['critical', '*/5 * * * *'],
  'user-login': ['critical', '*/15 * * * *'],
  'user-registration': ['critical', '*/30 * * * *'],
  'farm-creation': ['high', '0 * * * *'],
  'product-listing': ['high', '*/30 * * * *'],
  'order-placement': ['critical', '*/20 * * * *'],
} as const;

test('--list --reporter=json lists exactly the six workflows, each fully described', async () => {
  const run = await runPlaywright(['test', '--list']);
  assert.equal(run.code, 0, run.stderr);
  const specs = allSpecs(run.report!);
  const ids = new Set<string>();
  for (const spec of specs) {
    const annotations = spec.tests[0]!.annotations;
    const get = (type: string) => annotations.filter((a) => a.type === type).map((a) => a.description ?? '');
    const [id] = get('workflow');
    assert.ok(id, `${spec.file} has no workflow id`);
    assert.ok(!ids.has(id), `workflow id ${id} is used twice`);
    ids.add(id);
    const priorityTags = spec.tags.filter((t) => (priorities as readonly string[]).includes(t));
    assert.equal(priorityTags.length, 1, `${id} must have exactly one priority tag, has ${spec.tags.join(' ')}`);
    assert.deepEqual(get('priority'), priorityTags);
    assert.equal(spec.tags.filter((t) => t === id).length, 1, `${id} must have its id tag once`);
    const [schedule] = get('schedule');
    assert.equal(cronProblem(schedule ?? ''), undefined, `${id} has an invalid schedule "${schedule}"`);
    const want = expected[id as keyof typeof expected];
    if (want) assert.deepEqual([priorityTags[0], schedule], want, `${id}: priority and schedule as in the runbook`);
  }
  assert.deepEqual([...ids].sort(), Object.keys(expected).sort());
});

test('the exact @critical grep selects the four critical workflows and not @critical-path', async () => {
  // A copy of the suite plus one workflow tagged "critical-path", in a folder of its own.
  const suite: Record<string, string> = {};
  for (const file of await readdir(join(repoRoot, 'workflows'))) {
    if (file.endsWith('.spec.ts')) suite[file] = await readFile(join(repoRoot, 'workflows', file), 'utf8');
  }
  const specs = await specDir({
    ...suite,
    'checkout-path.spec.ts': `import { test, workflow } from '../fixtures/index.ts';
test('Checkout Path', workflow({ id: 'checkout-path', priority: 'high', schedule: '0 * * * *', tags: ['critical-path'] }), async () => {});
`,
  });
  try {
    const env = { MONITOR_WORKFLOWS_DIR: specs.dir };
    const exact = await runPlaywright(['test', '--list', '--grep', exactTagGrep(['critical'])], env);
    assert.equal(exact.code, 0, exact.stderr);
    assert.deepEqual(
      allSpecs(exact.report!)
        .map((s) => s.title)
        .sort(),
      ['Health Check', 'Order Placement', 'User Login', 'User Registration'],
    );
    // Playwright's own --grep is a substring match: that is why our tools never use it bare.
    const bare = await runPlaywright(['test', '--list', '--grep', '@critical'], env);
    assert.ok(allSpecs(bare.report!).some((s) => s.title === 'Checkout Path'));
  } finally {
    await specs.remove();
  }
});

test('a workflow with a bad schedule fails the load with one actionable line', async () => {
  const specs = await specDir({
    'broken.spec.ts': `import { test, workflow } from '../fixtures/index.ts';
test('Broken', workflow({ id: 'broken', priority: 'high', schedule: '61 * * * *' }), async () => {});
`,
  });
  try {
    const run = await runPlaywright(['test', '--list'], { MONITOR_WORKFLOWS_DIR: specs.dir });
    assert.notEqual(run.code, 0);
    const message = run.report?.errors.map((e) => e.message ?? '').join('\n') ?? '';
    assert.match(message, /workflow\("broken"\) is invalid: schedule "61 \* \* \* \*" is not a valid cron expression/);
    assert.ok(!/node_modules/.test(message), `no stack wall expected, got:\n${message}`);
  } finally {
    await specs.remove();
  }
});

test('bad runner configuration: one line per problem naming the variable, exit code 2', async () => {
  const run = await runPlaywright(['test', '--list'], {
    MONITOR_RETRIES: '-1',
    BASE_URL: 'not a url',
    MONITOR_WORKERS: 'many',
  });
  assert.equal(run.code, 2);
  const lines = run.stderr.trim().split('\n');
  assert.equal(lines.length, 3, run.stderr);
  assert.ok(lines.some((l) => /MONITOR_RETRIES: must be at least 0/.test(l)));
  assert.ok(lines.some((l) => /BASE_URL: must be an http\(s\) URL/.test(l)));
  assert.ok(lines.some((l) => /MONITOR_WORKERS: must be a whole number/.test(l)));
});
