// `npm run monitor:reports` as a user runs it: a child process against a real database.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { insertExecutions } from '../db/tables/executions.ts';
import { executionRecord, freshDatabase, type FreshDatabase } from '../test/helpers/db.ts';

const cli = fileURLToPath(new URL('./reports.ts', import.meta.url));
type Result = { code: number; stdout: string; stderr: string };

describe('monitor:reports CLI', () => {
  let db: FreshDatabase;
  let dir: string;
  const run = (args: string[], env: Record<string, string> = {}): Promise<Result> =>
    new Promise((resolve) => {
      const { GITHUB_STEP_SUMMARY: _ignored, ...inherited } = process.env;
      execFile(
        process.execPath,
        [cli, ...args],
        {
          env: {
            ...inherited,
            DATABASE_URL: db.url,
            MONITOR_REPORTS_DIR: dir,
            MONITOR_STATE_DIR: path.join(dir, 'state'),
            ...env,
          },
          timeout: 60_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  before(async () => {
    db = await freshDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'wm-reports-cli-'));
    await insertExecutions(
      db.pool,
      [0, 1, 2].map((i) =>
        executionRecord({
          runId: `r${i}`,
          startedAt: new Date(Date.UTC(2026, 10, 14, i)),
          durationMs: 1000 + i * 100,
          status: i === 2 ? 'failed' : 'passed',
          outcome: i === 2 ? 'unexpected' : 'expected',
          error: i === 2 ? 'Error: x' : null,
        }),
      ),
    );
  });
  after(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('no reports yet, then --generate, the table, and --show', async () => {
    const empty = await run([]);
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /No reports yet/);

    const generated = await run(['--generate', 'daily', '--period-end', '2026-11-15T00:30:00Z']);
    assert.equal(generated.code, 0, generated.stderr);
    assert.match(generated.stdout, /^# 🌟 Daily Workflow Monitoring Summary/);
    assert.ok(
      existsSync(path.join(dir, 'daily-2026-11-15T0000Z.md')) &&
        existsSync(path.join(dir, 'daily-2026-11-15T0000Z.json')),
    );

    const table = await run([]);
    assert.equal(table.code, 0, table.stderr);
    const [header, , line] = table.stdout.trim().split('\n');
    assert.match(header ?? '', /^report\s+period \(UTC\)\s+executions\s+success\s+trend\s+failed/);
    assert.match(line ?? '', /^daily-2026-11-15T0000Z\s+2026-11-14 00:00 → 2026-11-15 00:00\s+3\s+66\.7%\s+-\s+1\s/);

    const shown = await run(['--show', 'daily-2026-11-15T0000Z']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /\| Success Rate \| 66\.7% \|/);
    const json = await run(['--show', 'daily-2026-11-15T0000Z', '--json']);
    assert.equal((JSON.parse(json.stdout) as { totals: { executions: number } }).totals.executions, 3);
    const list = await run(['--json', '--kind', 'daily']);
    assert.deepEqual(
      (JSON.parse(list.stdout) as { reportId: string }[]).map((r) => r.reportId),
      ['daily-2026-11-15T0000Z'],
    );
  });

  test('an unknown report: exit 1', async () => {
    const r = await run(['--show', 'daily-1999-01-01T0000Z']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no report "daily-1999-01-01T0000Z"/);
  });

  test('bad arguments and configuration: every problem on its own line, exit 2', async () => {
    const args = await run(['--generate', 'weekly', '--limit', '0']);
    assert.equal(args.code, 2);
    assert.deepEqual(args.stderr.trim().split('\n'), [
      'monitor:reports: configuration error: --generate must be one of hourly, daily',
      'monitor:reports: configuration error: --limit must be a whole number from 1 to 1000',
    ]);
    const env = await run(['--generate', 'daily', '--notify'], {
      MONITOR_REPORT_RULES: '{',
      SLACK_WEBHOOK_URL: 'not a url',
    });
    assert.equal(env.code, 2);
    const lines = env.stderr.trim().split('\n');
    assert.equal(lines.length, 2, env.stderr);
    assert.match(lines[0]!, /^monitor:reports: configuration error: MONITOR_REPORT_RULES: must be a JSON object/);
    assert.match(lines[1]!, /^monitor:reports: configuration error: SLACK_WEBHOOK_URL: /);
    const unknown = await run(['--frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^monitor:reports: configuration error: .*--frobnicate/);
  });
});
