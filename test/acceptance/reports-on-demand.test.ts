// Issue 12.10: `reports --generate daily|hourly` by hand covers the period that ends now, so a
// run just made is in it; a period with no executions says so plainly, never "0.0%".
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDemoApp } from '../../demo-app/app.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/db.ts';
import { startHttpSink, type HttpSink } from '../sinks/http-sink.ts';
import { scratchCopy, type Scratch } from './helpers/scratch.ts';

let s: Scratch;
let db: FreshDatabase;
let empty: FreshDatabase;
let sink: HttpSink;
let demo: Awaited<ReturnType<typeof startDemoApp>>;
before(async () => {
  [s, db, empty, sink, demo] = await Promise.all([
    scratchCopy(),
    freshDatabase(),
    freshDatabase(),
    startHttpSink(),
    startDemoApp({ port: 0, host: '127.0.0.1', faults: '' }),
  ]);
});
after(async () => {
  await Promise.all([s.cleanup(), db.drop(), empty.drop(), sink.close(), demo.close()]);
});

test('right after a first run, npm run monitor:reports -- --generate hourly reports that run (the period ends now)', async () => {
  const env = { DATABASE_URL: db.url, BASE_URL: demo.url, MONITOR_RETRIES: '0' };
  const run = await s.run('npx', ['playwright', 'test', '--grep', '@health-check'], { env });
  assert.equal(run.code, 0, run.output);
  for (const kind of ['hourly', 'daily']) {
    const before = Date.now();
    const r = await s.run('npm', ['run', '--silent', 'monitor:reports', '--', '--generate', kind, '--json'], { env });
    assert.equal(r.code, 0, r.output);
    const body = JSON.parse(r.stdout) as {
      periodEnd: string;
      totals: { executions: number; successRate: number };
      recommendations: { rule: string }[];
    };
    assert.ok(
      Math.abs(new Date(body.periodEnd).getTime() - before) < 120_000,
      `${kind}: the period ends now, not at the hour: ${body.periodEnd}`,
    );
    assert.equal(body.totals.executions, 1, kind);
    assert.equal(body.totals.successRate, 1, kind);
    assert.ok(
      !body.recommendations.some((x) => x.rule === 'no-executions'),
      `${kind}: no "check the daemon" right after a run`,
    );
  }
});

test('a period with no executions says so plainly, in the report and the summary sent, never "0.0%"', async () => {
  const env = { DATABASE_URL: empty.url, DISCORD_WEBHOOK_URL: sink.urlFor('/api/webhooks/9/tok') };
  const r = await s.run('npm', ['run', '--silent', 'monitor:reports', '--', '--generate', 'daily', '--notify'], {
    env,
  });
  assert.equal(r.code, 0, r.output);
  assert.match(r.stdout, /No executions in this day/);
  const [msg] = await sink.waitForRequests(1, 30_000);
  assert.match(msg!.body, /no executions/i);
  for (const text of [r.output, msg!.body]) assert.doesNotMatch(text, /\b0\.0 ?%/);
});
