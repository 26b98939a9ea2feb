// The public status page over a seeded database driven through the real alert policy (issue 17
// items 1-4): groups and states in words, 90-day bars from the aggregates plus today's raw rows,
// incidents from the DOWN episodes with a cause in words, feeds and badges, the token rules, and
// no account, token, trace path or error text in any public response.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { ConfigError } from '../../config/parse-env.ts';
import { insertExecutions } from '../../db/tables/executions.ts';
import { createHttpServer } from '../../scheduler/http-server.ts';
import { parsePolicyConfig } from '../../notifiers/policy/config.ts';
import { statusSources } from '../../scheduler/status-sources.ts';
import { loadSchedulerConfig } from '../../scheduler/config.ts';
import { executionRecord, freshDatabase } from '../../test/helpers/db.ts';
import { seedStatus, statusEnv, statusSecrets, statusWorkflows } from '../../test/helpers/status-seed.ts';
import { addDashboardRoutes } from '../routes.ts';
import { parseStatusPageConfig } from './config.ts';
import { causeInWords, stateWord } from './model.ts';

const DAY = 86_400_000;

/** The dashboard's routes (the status page's among them) on `pool`, behind `token`. */
function dashboardOn(pool: DatabasePool, token: string, status: ReturnType<typeof statusSources>) {
  const server = createHttpServer();
  addDashboardRoutes(server, {
    pool: () => pool,
    schedules: () => [],
    daemon: () => ({}),
    artifactsDir: '/nonexistent',
    token,
    status,
  });
  return server;
}

test("STATUS_PAGE_GROUPS: a bad value is one line naming the variable, in the daemon's config too", () => {
  assert.deepEqual(
    parseStatusPageConfig({ STATUS_PAGE_GROUPS: 'Shopping=order-placement+product-listing;Accounts=user-login' })
      .groups,
    [
      { name: 'Shopping', workflows: ['order-placement', 'product-listing'] },
      { name: 'Accounts', workflows: ['user-login'] },
    ],
  );
  assert.equal(parseStatusPageConfig({}).groups, null, 'unset: one group per priority');
  for (const bad of ['Shopping', 'Shopping=', 'Shopping=Order Placement', 'A=x;A=y']) {
    assert.throws(
      () => parseStatusPageConfig({ STATUS_PAGE_GROUPS: bad }),
      (e: unknown) =>
        e instanceof ConfigError && e.problems.length === 1 && e.problems[0]!.startsWith('STATUS_PAGE_GROUPS: '),
      bad,
    );
  }
  assert.throws(
    () => loadSchedulerConfig({ STATUS_PAGE_GROUPS: 'nonsense', STATUS_PAGE_PUBLIC: 'maybe' }),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.problems.some((p) => p.startsWith('STATUS_PAGE_GROUPS: ')) &&
      e.problems.some((p) => p.startsWith('STATUS_PAGE_PUBLIC: ')),
  );
});

test(
  'status page: states, bars, incidents, maintenance, feeds and badges; public without the token, nothing private',
  { timeout: 180_000 },
  async (t) => {
    const db = await freshDatabase();
    t.after(() => db.drop());
    const now = new Date();
    const today = Math.floor(now.getTime() / DAY) * DAY;
    const env = statusEnv(now);
    const alerting = await seedStatus(db, env, now);
    t.after(() => alerting.close());
    const down = await db.pool.oneFirst(
      sql.type(z.object({ n: z.number() }))`SELECT count(*)::integer AS n FROM status_incidents WHERE ended_at IS NULL`,
    );
    assert.equal(down, 1, 'the DOWN episode opened an incident');

    const server = dashboardOn(
      db.pool,
      'dash-token-1',
      statusSources(env, parsePolicyConfig(env).maintenance, () => statusWorkflows),
    );
    const { port } = await server.listen(0, '127.0.0.1');
    t.after(() => server.close());
    const get = (p: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${port}${p}`, { headers });
    const bodies: string[] = [];
    const ok = async (p: string) => {
      const r = await get(p);
      assert.equal(r.status, 200, p);
      const text = await r.text();
      bodies.push(text);
      return { r, text };
    };

    const { text: page } = await ok('/status');
    assert.match(page, /<title>Acme &lt;script&gt;window\.pwned=1&lt;\/script&gt; status<\/title>/);
    assert.doesNotMatch(page, /<script|<img src=x|<b>ping/i, 'markup renders as text');
    assert.match(page, /Shop &lt;b&gt;ping&lt;\/b&gt;/);
    assert.match(page, /Accounts<\/h2><span class="state bad">Outage/);
    assert.match(page, /Product Listing<\/span><span class="state maint">Maintenance/);
    assert.match(page, /Database upgrade: .* \(in progress\)/);
    assert.equal((page.match(/<div class="bar"/g) ?? []).length, 2);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const cells = [...page.matchAll(/<span class="c-[a-z]+"[^>]* title="([^"]+)"/g)].map((m) => m[1]!);
    const covered = [...page.matchAll(/<span class="c-[a-z]+"( data-days="(\d+)")?/g)].reduce(
      (n, m) => n + Number(m[2] ?? 1),
      0,
    );
    assert.equal(covered, 180, '90 days per workflow');
    assert.ok(
      cells.includes(`${day(today - 89 * DAY)} to ${day(today - 11 * DAY)}: no data`),
      'days without runs are one cell',
    );
    assert.ok(cells.includes(`${day(today - 3 * DAY)}: 0.00 % of 1 runs`), 'the failed day');
    assert.ok(cells.includes(`${day(today - 2 * DAY)}: 100.00 % of 1 runs`));
    assert.ok(cells.includes(`${day(today)}: 0.00 % of 4 runs`), 'today from the raw rows, before any roll-up');
    assert.match(page, /90\.00 % available/, 'product listing: 9 of 10 runs');
    assert.match(page, /Current incident[\s\S]*Ongoing: User &lt;img src=x onerror=alert\(1\)&gt; Login/);
    assert.match(page, /A step of the journey took too long to complete\./);

    const id = /\/status\/incidents\/(\d+)/.exec(page)?.[1];
    assert.ok(id);
    const { text: incident } = await ok(`/status/incidents/${id}`);
    assert.match(incident, /Duration: \d+ min/);
    assert.equal((await get('/status/incidents/999999')).status, 404);
    const { text: json } = await ok('/status.json');
    const doc = JSON.parse(json) as { groups: { name: string; state: string }[]; incidents: { end: string | null }[] };
    assert.deepEqual(
      doc.groups.map((g) => [g.name, g.state]),
      [
        ['Shop <b>ping</b>', 'Maintenance'],
        ['Accounts', 'Outage'],
      ],
    );
    assert.equal(doc.incidents[0]!.end, null);
    const { text: feed } = await ok('/status/feed.atom');
    assert.match(
      feed,
      /<entry><id>http:\/\/127\.0\.0\.1:\d+\/status\/incidents\/\d+<\/id><title>Ongoing: User &lt;img/,
    );

    const { r: badge, text: svg } = await ok('/badge/user-login.svg');
    assert.equal(badge.headers.get('content-type'), 'image/svg+xml');
    assert.match(svg, /<svg [^>]*aria-label="User &lt;img src=x onerror=alert\(1\)&gt; Login: outage"/);
    assert.match(badge.headers.get('cache-control') ?? '', /^public, max-age=\d+$/);
    const etag = badge.headers.get('etag');
    assert.ok(etag);
    assert.equal((await get('/badge/user-login.svg', { 'if-none-match': etag })).status, 304);
    const { text: uptime } = await ok('/badge/product-listing/uptime.svg?days=30');
    assert.match(uptime, /uptime 30d: 90\.00 %/);
    assert.equal((await get('/badge/nope.svg')).status, 404);

    // Recovery closes the incident with its duration.
    const pass = executionRecord({ runId: 'ok1', startedAt: new Date(), status: 'passed' });
    await insertExecutions(db.pool, [pass]);
    await alerting.onAttempt(pass, { willRetry: false });
    const { text: after } = await ok('/status');
    assert.doesNotMatch(after, /Current incident/);
    assert.match(after, /Resolved: User &lt;img[^<]*Login<\/a>\s*· [\d-]+ [\d:]+ UTC to [\d-]+ [\d:]+ UTC · \d+ min/);

    // Only the status routes go without the token.
    for (const p of [
      '/',
      '/api/overview',
      '/api/workflow?id=user-login',
      '/trace-viewer/index.html',
      '/api/artifact?id=1&at=2020-01-01&kind=trace',
    ]) {
      assert.equal((await get(p)).status, 401, p);
    }
    assert.equal((await get('/api/overview', { authorization: 'Bearer dash-token-1' })).status, 200);
    for (const body of bodies)
      for (const s of statusSecrets) assert.ok(!body.includes(s), `a public response shows ${s}`);
    assert.ok(!bodies.some((b) => /TimeoutError|checkout-button|synthetic-monitor\.example|artifacts/.test(b)));
  },
);

test('status page: behind DASHBOARD_TOKEN unless STATUS_PAGE_PUBLIC=true', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const server = dashboardOn(
    db.pool,
    'tok',
    statusSources({}, [], () => [{ id: 'user-login', title: 'User Login', priority: 'critical', tags: [] }]),
  );
  const { port } = await server.listen(0, '127.0.0.1');
  t.after(() => server.close());
  for (const p of ['/status', '/status.json', '/status/feed.atom', '/badge/user-login.svg']) {
    assert.equal((await fetch(`http://127.0.0.1:${port}${p}`)).status, 401, p);
    const r = await fetch(`http://127.0.0.1:${port}${p}`, { headers: { authorization: 'Bearer tok' } });
    assert.equal(r.status, 200, p);
    assert.match(
      r.headers.get('cache-control') ?? '',
      /^private, /,
      `${p}: behind the token, no shared cache keeps it`,
    );
  }
  const page = await (
    await fetch(`http://127.0.0.1:${port}/status`, { headers: { authorization: 'Bearer tok' } })
  ).text();
  assert.match(page, /Critical services<\/h2><span class="state none">No data/);
});

test('Degraded is the public word for flaky, flapping or slow; down is an Outage, maintenance wins', () => {
  const row = { workflowId: 'w', state: 'up', flapping: false, slow: false, name: null, priority: null, tags: [] };
  assert.equal(stateWord(row, false), 'Operational');
  assert.equal(stateWord({ ...row, state: 'flaky' }, false), 'Degraded');
  assert.equal(stateWord({ ...row, flapping: true }, false), 'Degraded');
  assert.equal(stateWord({ ...row, slow: true }, false), 'Degraded');
  assert.equal(stateWord({ ...row, state: 'down', slow: true }, false), 'Outage');
  assert.equal(stateWord({ ...row, state: 'flaky' }, true), 'Maintenance');
  assert.equal(stateWord(undefined, false), 'No data');
});

test("the cause in words comes from the failure's first line, never its text", () => {
  assert.equal(
    causeInWords(
      'Error: the login form has no "Sign In" button\n\nCall log:\n  - waiting for locator, Timeout 5000ms exceeded',
    ),
    'A step of the journey did not complete as expected.',
  );
  assert.equal(
    causeInWords('TimeoutError: locator.click: Timeout 30000ms exceeded.'),
    'A step of the journey took too long to complete.',
  );
  assert.equal(
    causeInWords('target unreachable: http://10.0.0.1:3000 (ECONNREFUSED)'),
    'The service could not be reached.',
  );
  assert.equal(causeInWords('unhealthy: database'), 'The service reported a problem with one of its components.');
  assert.equal(causeInWords(null), 'The check failed several times in a row.');
});

test('incidents: a DOWN change opens one, a change away closes it, and those ended over 400 days ago go', async (t) => {
  const db = await freshDatabase();
  t.after(() => db.drop());
  const change = (id: string, at: string, from: string, to: string) =>
    db.pool.query(sql.type(z.object({}))`
    INSERT INTO alert_state_changes (workflow_id, at, from_state, to_state) VALUES (${id}, ${at}::timestamptz, ${from}, ${to})`);
  await change('a', '2024-01-01T00:00:00Z', 'up', 'down');
  await change('a', '2024-01-01T00:10:00Z', 'down', 'up');
  await change('b', '2026-01-01T00:00:00Z', 'up', 'down');
  await change('b', '2026-01-01T00:01:00Z', 'down', 'down');
  const rows = await db.pool.any(sql.type(z.object({ workflowId: z.string(), endedAt: z.date().nullable() }))`
    SELECT workflow_id AS "workflowId", ended_at AS "endedAt" FROM status_incidents ORDER BY id`);
  assert.deepEqual(
    rows,
    [{ workflowId: 'b', endedAt: null }],
    'the 2024 one ended over 400 days before b opened; down->down opens nothing',
  );
});
