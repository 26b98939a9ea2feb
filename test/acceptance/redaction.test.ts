// Issue 14.9, as a user meets it: with SMTP_USER=monitor, what the monitor writes about its alerts
// (notification_logs, read by the dashboard and the CLI) keeps words such as "workflow-monitor"
// and ".monitor/" whole; the SMTP password, a real secret, never appears.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'slonik';
import { z } from 'zod';
import { startSmtpSink } from '../sinks/smtp-sink.ts';
import { scratchSetForFile } from './helpers/scratch-set.ts';

const password = 'smtp-Pass-0123456789';
const set = scratchSetForFile('login-broken', () => startSmtpSink({ auth: { user: 'monitor', pass: password } }));

test('SMTP_USER=monitor: a failure alert is mailed and logged without "[redacted]" inside ordinary words', async () => {
  const { s, db, sink: smtp, demo } = set;
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
