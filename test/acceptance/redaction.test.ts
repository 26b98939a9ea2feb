// Issue 14.9, as a user meets it: with SMTP_USER=monitor, what the monitor writes about its alerts
// (notification_logs, read by the dashboard and the CLI) keeps words such as "workflow-monitor"
// and ".monitor/" whole; the SMTP password, a real secret, never appears.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'slonik';
import { z } from 'zod';
import { startDemoApp } from '../../demo-app/app.ts';
import { freshDatabase, type FreshDatabase } from '../helpers/db.ts';
import { startSmtpSink, type SmtpSink } from '../sinks/smtp-sink.ts';
import { scratchCopy, type Scratch } from './helpers/scratch.ts';

const password = 'smtp-Pass-0123456789';
let s: Scratch;
let db: FreshDatabase;
let smtp: SmtpSink;
let demo: Awaited<ReturnType<typeof startDemoApp>>;
before(async () => {
  [s, db, smtp, demo] = await Promise.all([
    scratchCopy(),
    freshDatabase(),
    startSmtpSink({ auth: { user: 'monitor', pass: password } }),
    startDemoApp({ port: 0, host: '127.0.0.1', faults: 'login-broken' }),
  ]);
});
after(async () => {
  await Promise.all([s.cleanup(), db.drop(), smtp.close(), demo.close()]);
});

test('SMTP_USER=monitor: a failure alert is mailed and logged without "[redacted]" inside ordinary words', async () => {
  const env = {
    DATABASE_URL: db.url,
    BASE_URL: demo.url,
    MONITOR_RETRIES: '0',
    ...smtp.env(),
    SMTP_USER: 'monitor',
    SMTP_PASSWORD: password,
  };
  const r = await s.run('npx', ['playwright', 'test', '--grep', '@user-login'], { env });
  assert.equal(r.code, 1, r.output);
  await smtp.waitForMessages(1, 60_000);
  const logs = await db.pool.any(sql.type(
    z.object({ title: z.string(), message: z.string(), error: z.string().nullable() }),
  )`
    SELECT title, message, error FROM notification_logs WHERE channel = 'email'`);
  assert.ok(logs.length >= 1, 'the email delivery is logged');
  const text = logs.map((l) => `${l.title}\n${l.message}\n${l.error ?? ''}`).join('\n');
  assert.match(text, /monitor/, 'the logged text still names the state folder or the monitor');
  assert.doesNotMatch(text, /\[redacted\]/, text);
  assert.ok(!text.includes(password) && !r.output.includes(password));
});
