// `npm run test:notifications` as a user runs it: a child process, real sinks, exit codes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { reply, startHttpSink, type HttpSink } from '../test/sinks/http-sink.ts';
import { startSmtpSink, type SmtpSink } from '../test/sinks/smtp-sink.ts';

const cli = fileURLToPath(new URL('./send-test-notifications.ts', import.meta.url));

type Run = { code: number; stdout: string; stderr: string };

function run(env: Record<string, string>): Promise<Run> {
  // Only what the test sets: the developer's own SLACK_WEBHOOK_URL must not receive test messages.
  const base = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NOTIFY_BACKOFF_BASE_MS: '20',
    NOTIFY_BACKOFF_MAX_MS: '50',
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [cli], { env: { ...base, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let http: HttpSink;
let smtp: SmtpSink;
before(async () => {
  http = await startHttpSink({
    fallback: (req) =>
      req.path.startsWith('/gone') ? reply.json(404, { message: 'Unknown Webhook' }) : reply.json(200, {}),
  });
  smtp = await startSmtpSink();
});
after(async () => {
  await Promise.all([http.close(), smtp.close()]);
});

const slackPath = '/services/T0/B0/cliSecretToken';

// Each case is a child process of its own: run them side by side.
describe('send-test-notifications', { concurrency: true }, () => {
  test('every configured channel gets a test message: exit 0 and a table', async () => {
    const r = await run({
      SLACK_WEBHOOK_URL: http.urlFor(slackPath),
      DISCORD_WEBHOOK_URL: http.urlFor('/api/webhooks/1/discordCliSecret'),
      TEAMS_WEBHOOK_URL: http.urlFor('/workflows/1?sig=teamsCliSecret'),
      ALERT_WEBHOOK_URL: http.urlFor('/hook'),
      PAGERDUTY_ROUTING_KEY: 'R0123456789abcdef0123456789abcde',
      PAGERDUTY_EVENTS_URL: http.urlFor('/pd'),
      ...smtp.env(),
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const channel of ['slack', 'discord', 'teams', 'webhook', 'email', 'pagerduty']) {
      assert.match(r.stdout, new RegExp(`^${channel} +ok +\\d+ +\\d+ +\\d+`, 'm'));
    }
    assert.match(r.stdout, /^6 passed, 0 failed$/m);
    assert.ok(smtp.messages.some((m) => m.subject.includes('Test notification')));
    for (const s of ['cliSecretToken', 'discordCliSecret', 'teamsCliSecret', 'R0123456789abcdef'])
      assert.ok(!(r.stdout + r.stderr).includes(s), s);
  });

  test('a dead webhook: exit 1, reported DEAD with its variable', async () => {
    const r = await run({
      DISCORD_WEBHOOK_URL: http.urlFor('/gone/api/webhooks/1/deadSecret'),
      ALERT_WEBHOOK_URL: http.urlFor('/hook'),
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^discord +DEAD +404 +1 .*check DISCORD_WEBHOOK_URL/m);
    assert.match(r.stdout, /^webhook +ok/m);
    assert.ok(!r.stdout.includes('deadSecret'));
  });

  test('bad configuration: exit 2, one line per problem', async () => {
    const r = await run({ SLACK_WEBHOOK_URL: 'not-a-url-secret', SMTP_HOST: 'smtp.example.com' });
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.replace(/^test:notifications: configuration error: (\w+):.*$/, '$1')),
      ['SLACK_WEBHOOK_URL', 'SMTP_FROM', 'SMTP_TO'],
    );
    assert.ok(!r.stderr.includes('not-a-url-secret'));
  });

  test('nothing configured: exit 1 with a hint', async () => {
    const r = await run({});
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no channel is configured/);
  });
});
