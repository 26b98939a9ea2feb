// E-mail through a real SMTP server (smtp-server on 127.0.0.1).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { smtpReply, startSmtpSink, type SmtpSink } from '../test/sinks/smtp-sink.ts';
import { digestAlert, failureAlert, longError, recoveryAlert } from '../test/helpers/sample-alerts.ts';
import { channelsFrom, recordingNotifier } from '../test/helpers/recording-notifier.ts';

const sinks: SmtpSink[] = [];
after(async () => {
  await Promise.all(sinks.map((s) => s.close()));
});

async function setup(options: Parameters<typeof startSmtpSink>[0] = {}, delivery = {}) {
  const sink = await startSmtpSink(options);
  sinks.push(sink);
  const { notifier, records, warnings } = recordingNotifier({
    channels: channelsFrom(sink.env({ to: 'oncall@example.test, lead@example.test' })),
    options: { requestTimeoutMs: 1000, deliveryTimeoutMs: 3000, backoffBaseMs: 50, backoffMaxMs: 200, ...delivery },
  });
  return { sink, notifier, records, warnings };
}

test('a failure arrives with HTML and text parts', async () => {
  const { sink, notifier, records } = await setup();
  const [r] = await notifier.send(failureAlert({ error: longError(20_000) }));
  assert.equal(r?.outcome, 'sent', r?.error ?? '');
  assert.equal(r?.statusCode, 250);
  const [mail] = await sink.waitForMessages(1);
  assert.ok(mail);
  assert.equal(mail.subject, '[CRITICAL] Workflow Failed: User Login');
  assert.deepEqual(mail.envelope.to, ['oncall@example.test', 'lead@example.test']);
  assert.equal(mail.envelope.from, 'monitor@example.test');
  for (const part of [mail.text, mail.html]) {
    for (const s of [
      'Workflow Failed: User Login',
      'FAILED',
      'CRITICAL',
      '5.23s',
      '2/5',
      'run_1234567890_abc123',
      'show-trace',
      'failure.png',
      'Login button not found',
    ]) {
      assert.ok(part.includes(s), `${s} missing`);
    }
  }
  assert.ok(mail.html.includes('&lt;script&gt;'), 'error text is escaped in HTML');
  assert.ok(!mail.html.includes('<script>'));
  assert.ok(!mail.text.includes('\u001b['), 'no ANSI codes');
  assert.equal(records[0]?.channel, 'email');
  assert.equal(records[0]?.sent, true);
});

test('a recovery says RESOLVED before the priority, so a [CRITICAL] mail rule does not take it', async () => {
  const { sink, notifier } = await setup();
  const [r] = await notifier.send(recoveryAlert());
  assert.equal(r?.outcome, 'sent', r?.error ?? '');
  const [mail] = await sink.waitForMessages(1);
  assert.equal(mail?.subject, '[RESOLVED · CRITICAL] Workflow Recovered: User Login');
  assert.ok(!mail.subject.includes('[CRITICAL]'));
});

test('a 40-workflow digest is one mail listing every workflow', async () => {
  const { sink, notifier } = await setup();
  const alert = digestAlert(40);
  const [r] = await notifier.send(alert);
  assert.equal(r?.outcome, 'sent');
  const [mail] = await sink.waitForMessages(1);
  for (const item of alert.items ?? []) assert.ok(mail?.html.includes(item.name) && mail.text.includes(item.name));
});

test('a 451 deferral is retried, a 550 refusal is not', async () => {
  const deferred = await setup({ script: [smtpReply.reject(451), smtpReply.accept()] });
  const [ok] = await deferred.notifier.send(failureAlert());
  assert.equal(ok?.outcome, 'sent');
  assert.equal(ok?.attempts, 2);

  const refused = await setup({ script: [smtpReply.reject(550, 'Mailbox unavailable')] });
  const [bad] = await refused.notifier.send(failureAlert());
  assert.equal(bad?.outcome, 'failed');
  assert.equal(bad?.attempts, 1);
  assert.equal(bad?.statusCode, 550);
  assert.match(refused.records[0]?.error ?? '', /SMTP 550: .*Mailbox unavailable/);
});

test('authentication: a login works, a wrong password is reported without the password', async () => {
  const good = await setup({ auth: { user: 'monitor', pass: 'correct-horse-battery' } });
  const [r] = await good.notifier.send(failureAlert());
  assert.equal(r?.outcome, 'sent');
  assert.equal((await good.sink.waitForMessages(1))[0]?.user, 'monitor');

  const sink = await startSmtpSink({ auth: { user: 'monitor', pass: 'correct-horse-battery' } });
  sinks.push(sink);
  const { notifier, records, warnings } = recordingNotifier({
    channels: channelsFrom({ ...sink.env(), SMTP_PASSWORD: 'wrong-horse-password' }),
    options: { backoffBaseMs: 50 },
  });
  const [bad] = await notifier.send(failureAlert());
  assert.equal(bad?.outcome, 'failed');
  assert.equal(bad?.attempts, 1);
  assert.match(bad?.error ?? '', /SMTP authentication failed; check SMTP_USER and SMTP_PASSWORD/);
  assert.ok(!JSON.stringify([bad, records, warnings]).includes('wrong-horse-password'));
});

test('a server that never answers: gives up at the bound', async () => {
  const { notifier } = await setup(
    { script: [smtpReply.hang(), smtpReply.hang(), smtpReply.hang(), smtpReply.hang()] },
    { requestTimeoutMs: 300, deliveryTimeoutMs: 1200 },
  );
  const [r] = await notifier.send(failureAlert());
  assert.equal(r?.outcome, 'failed');
  assert.match(r?.error ?? '', /gave up/);
});
