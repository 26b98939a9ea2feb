// Issue 12.9, as a user types it: every command answers --help (exit 0), every command that
// prints a table also prints JSON with --json, and the tables share one style (no console.table).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commands } from '../../bin/cli/commands.ts';
import { refusedUrl, startHttpSink } from '../sinks/http-sink.ts';
import { scratchSetForFile } from './helpers/scratch-set.ts';

const set = scratchSetForFile('', startHttpSink);

const parseJson = (text: string, what: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    assert.fail(`${what}: stdout is not JSON:\n${text}`);
  }
};

test('npx workflow-monitor <command> --help (and -h): exit 0 and its usage, for every command', async () => {
  const { s } = set;
  const names = Object.keys(commands);
  assert.ok(names.includes('reports') && names.includes('cleanup'), names.join(' '));
  for (const name of names) {
    for (const flag of name === 'reports' ? ['--help', '-h'] : ['--help']) {
      const r = await s.run('npx', ['workflow-monitor', name, flag]);
      assert.equal(r.code, 0, `${name} ${flag}: ${r.output}`);
      assert.match(r.stdout, new RegExp(`^usage: workflow-monitor ${name}\\b`), `${name} ${flag}: ${r.output}`);
    }
  }
});

test('npx workflow-monitor health --daemon --json without a daemon: JSON saying none answered, exit 1', async () => {
  const { s } = set;
  const url = await refusedUrl();
  const r = await s.run('npx', ['workflow-monitor', 'health', '--daemon', '--json', '--url', url]);
  assert.equal(r.code, 1, r.output);
  const body = parseJson(r.stdout, 'health --daemon --json') as { ok: boolean; error: string };
  assert.equal(body.ok, false);
  assert.match(body.error, /no daemon answered/);
});

test('npx workflow-monitor health --json: the health-check run as JSON on stdout, recorded', async () => {
  const { s, db, demo } = set;
  const r = await s.run('npx', ['workflow-monitor', 'health', '--json'], {
    env: { DATABASE_URL: db.url, BASE_URL: demo.url, MONITOR_RETRIES: '0' },
  });
  assert.equal(r.code, 0, r.output);
  const body = parseJson(r.stdout, 'health --json') as {
    ok: boolean;
    attempts: { workflow: string; status: string }[];
  };
  assert.equal(body.ok, true);
  assert.deepEqual(
    body.attempts.map((a) => [a.workflow, a.status]),
    [['Health Check', 'passed']],
  );
  assert.match(r.stderr, /1 execution\(s\): 1 recorded/);
});

test('tables in one style (header, dashes, no (index) column) and --json beside each', async () => {
  const { s, db, sink } = set;
  const env = { DATABASE_URL: db.url, ALERT_WEBHOOK_URL: sink.urlFor('/hook/x') };
  const tables: [string, string[]][] = [
    ['cleanup', ['cleanup']],
    ['list', ['list']],
    ['reports', ['reports']],
    ['notify', ['notify', 'test']],
  ];
  await s.run('npx', ['workflow-monitor', 'reports', '--generate', 'hourly'], { env });
  for (const [what, args] of tables) {
    const text = await s.run('npx', ['workflow-monitor', ...args], { env });
    assert.equal(text.code, 0, `${what}: ${text.output}`);
    assert.doesNotMatch(text.stdout, /\(index\)|┌|│/, `${what}: no console.table`);
    const lines = text.stdout.split('\n');
    const dashes = lines.findIndex((l) => /^-+( {2}-+)+$/.test(l));
    assert.ok(dashes > 0, `${what}: a header over a line of dashes:\n${text.stdout}`);
    const json = await s.run('npx', ['workflow-monitor', ...args, '--json'], { env });
    assert.equal(json.code, 0, `${what} --json: ${json.output}`);
    assert.ok(Array.isArray(parseJson(json.stdout, `${what} --json`)), `${what} --json: an array of rows`);
  }
});
