// Issues 12.7 and 14.6, as a user meets them: every entry point checks every variable before
// anything starts (one line per problem naming it, exit 2), and a DATABASE_URL that cannot be
// used is named, password redacted, with what failed, and no stack trace.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testServerUrl } from '../helpers/db.ts';
import { freePort } from '../helpers/net.ts';
import { scratchCopy, type Scratch } from './helpers/scratch.ts';

const secret = 'pw-Do-Not-Print';
let s: Scratch;
let server: URL;
before(async () => {
  [s, server] = await Promise.all([scratchCopy(), testServerUrl().then((u) => new URL(u))]);
});
after(async () => {
  await s.cleanup();
});

/** The test server's URL with other credentials, database or port. */
function serverUrl(change: { user?: string; password?: string; database?: string; port?: number }): string {
  const u = new URL(server);
  if (change.user !== undefined) u.username = change.user;
  if (change.password !== undefined) u.password = change.password;
  if (change.database !== undefined) u.pathname = `/${change.database}`;
  if (change.port !== undefined) u.port = String(change.port);
  return u.toString();
}

const noStack = (output: string) => assert.doesNotMatch(output, /^\s+at |node:internal|\.ts:\d+:\d+/m, output);
const noSecret = (output: string) => assert.ok(!output.includes(secret), output);

test('npx playwright test with five bad values: all five, one line each naming the variable, exit 2, nothing run', async () => {
  const r = await s.run('npx', ['playwright', 'test'], {
    env: {
      MONITOR_RETRIES: 'lots',
      MONITOR_WORKERS: '0',
      DATABASE_URL: `base:${secret}`,
      SLACK_WEBHOOK_URL: 'not-a-url',
      ALERT_MAX_PER_HOUR: '0',
    },
  });
  assert.equal(r.code, 2, r.output);
  const lines = r.stderr.trim().split('\n');
  assert.deepEqual(
    lines.map((l) => /configuration error: ([A-Z_]+):/.exec(l)?.[1]).sort(),
    ['ALERT_MAX_PER_HOUR', 'DATABASE_URL', 'MONITOR_RETRIES', 'MONITOR_WORKERS', 'SLACK_WEBHOOK_URL'],
    r.output,
  );
  assert.doesNotMatch(r.output, /Running \d+ test/);
  noSecret(r.output);
});

test('npm run db:migrate with an unparseable DATABASE_URL: exit 2, one line naming it', async () => {
  const r = await s.run('npm', ['run', '--silent', 'db:migrate'], {
    env: { DATABASE_URL: `postgres://u:${secret}@db:99999/x` },
  });
  assert.equal(r.code, 2, r.output);
  assert.match(r.stderr.trim(), /^db:migrate: configuration error: DATABASE_URL: is not a URL/);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.output);
  noSecret(r.output);
});

test('npm run db:migrate against a valid DATABASE_URL that fails: named, redacted, what failed, no stack', async () => {
  const cases = [
    { url: serverUrl({ port: await freePort(), password: secret }), what: /connection refused/ },
    { url: serverUrl({ user: 'wm_no_such_role', password: secret }), what: /authentication failed/ },
    { url: serverUrl({ database: 'wm_no_such_database' }), what: /database missing/ },
  ];
  for (const c of cases) {
    const r = await s.run('npm', ['run', '--silent', 'db:migrate'], { env: { DATABASE_URL: c.url } });
    assert.equal(r.code, 1, r.output);
    const line = r.stderr.trim();
    assert.equal(line.split('\n').length, 1, r.output);
    assert.match(line, /^db:migrate: DATABASE_URL \(postgres:\/\/[^ ]*:\*\*\*@127\.0\.0\.1:\d+\/[^ )]*\): /);
    assert.match(line, c.what);
    noStack(r.output);
    noSecret(r.output);
    if (server.password)
      assert.ok(!r.output.includes(decodeURIComponent(server.password)), 'the real password never shows');
  }
});

test('npx workflow-monitor list / trace with a database it cannot reach: DATABASE_URL named, no stack', async () => {
  const url = serverUrl({ user: 'wm_no_such_role', password: secret });
  const list = await s.run('npx', ['workflow-monitor', 'list'], { env: { DATABASE_URL: url } });
  assert.match(list.stderr, /DATABASE_URL \(postgres:\/\/wm_no_such_role:\*\*\*@[^)]+\): authentication failed/);
  const trace = await s.run('npx', ['workflow-monitor', 'trace', '1'], { env: { DATABASE_URL: url } });
  assert.equal(trace.code, 1, trace.output);
  assert.match(trace.stderr.trim(), /^workflow-monitor trace: DATABASE_URL \(.*\): authentication failed/);
  for (const r of [list, trace]) {
    noStack(r.output);
    noSecret(r.output);
  }
});

test('a run against an unreachable DATABASE_URL keeps monitoring (spools) and says which URL failed and why', async () => {
  const url = serverUrl({ port: await freePort(), password: secret });
  const r = await s.run('npx', ['playwright', 'test', '--grep', '@health-check'], {
    env: { DATABASE_URL: url, DEMO_PORT: String(await freePort()), MONITOR_RETRIES: '0' },
  });
  assert.equal(r.code, 0, r.output);
  assert.match(
    r.output,
    /\[monitor\] database unavailable, spooling to the outbox: DATABASE_URL \(postgres:\/\/[^)]*:\*\*\*@127\.0\.0\.1:\d+\/[^)]*\): connection refused/,
  );
  assert.match(r.output, /1 spooled to the outbox/);
  noSecret(r.output);
});

test('the daemon: every problem before anything starts, no demo app, no unrelated follow-up line', async () => {
  const demoPort = await freePort();
  const r = await s.run('npx', ['workflow-monitor', 'daemon'], {
    env: {
      SLACK_WEBHOOK_URL: 'not-a-url',
      DATABASE_URL: 'base',
      DEMO_FAULTS: 'no-such-fault',
      DEMO_PORT: String(demoPort),
      MONITOR_HTTP_PORT: '0',
    },
  });
  assert.equal(r.code, 2, r.output);
  const lines = r.output.trim().split('\n');
  assert.deepEqual(
    lines.map((l) => /configuration error: ([A-Z_]+)\b/.exec(l)?.[1]).sort(),
    ['DATABASE_URL', 'DEMO_FAULTS', 'SLACK_WEBHOOK_URL'],
    r.output,
  );
  assert.doesNotMatch(r.output, /suite listing|hosting the demo app/);
});

test('the daemon with a login that fails: says so at once, naming DATABASE_URL, exit 1', async () => {
  const r = await s.run('npx', ['workflow-monitor', 'daemon'], {
    env: {
      DATABASE_URL: serverUrl({ user: 'wm_no_such_role', password: secret }),
      DEMO_PORT: String(await freePort()),
      MONITOR_HTTP_PORT: '0',
    },
    timeoutMs: 50_000,
  });
  assert.equal(r.code, 1, r.output);
  assert.match(
    r.output,
    /could not start: DATABASE_URL \(postgres:\/\/wm_no_such_role:\*\*\*@[^)]+\): authentication failed/,
  );
  noStack(r.output);
  noSecret(r.output);
});
