import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRedactor, redactUrl } from './redact.ts';

const slack = 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

test('URLs shrink to their host', () => {
  assert.equal(redactUrl(slack), 'https://hooks.slack.com/…');
  assert.equal(redactUrl('http://127.0.0.1:4000/a/b?c=d'), 'http://127.0.0.1:4000/…');
  assert.equal(redactUrl('not a url'), '[redacted]');
});

test('configured secrets vanish wherever they appear', () => {
  const redact = createRedactor([
    slack,
    'R0123456789abcdef0123456789abcde',
    'hunter2-password',
    'http://127.0.0.1:9/hook/abc?token=zzz',
  ]);
  const text =
    `posting to ${slack} failed; key R0123456789abcdef0123456789abcde; pass hunter2-password; ` +
    'path /services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX; local http://127.0.0.1:9/hook/abc?token=zzz';
  const out = redact(text);
  for (const s of ['XXXXXXXX', 'R0123456789', 'hunter2', 'token=zzz', '/hook/abc']) assert.ok(!out.includes(s), s);
  assert.ok(out.includes('https://hooks.slack.com/…'));
  assert.ok(out.includes('http://127.0.0.1:9/…'));
});

test('well-known credential URLs are redacted even when not configured', () => {
  const redact = createRedactor([]);
  const out = redact(
    'see https://discord.com/api/webhooks/123/tok and https://x.logic.azure.com:443/workflows/1?sig=abc and https://user:pw@example.com/x and https://example.com/docs',
  );
  assert.ok(!out.includes('tok') && !out.includes('sig=abc') && !out.includes('pw@'));
  assert.ok(out.includes('https://example.com/docs'), 'ordinary links stay');
});

test('a short secret goes only as a whole token; user names and ordinary words stay', () => {
  // SMTP_USER=monitor is no secret; a short password must not blank out words that contain it.
  const redact = createRedactor(['monitor', 'Bearer abcdefghij']);
  assert.equal(redact('workflow-monitor: User Login failed'), 'workflow-monitor: User Login failed');
  assert.equal(redact('monitoring is on; wm-monitor-42'), 'monitoring is on; wm-monitor-42');
  assert.equal(redact('login as monitor failed'), 'login as [redacted] failed');
  assert.equal(redact('sent abcdefghij to x'), 'sent [redacted] to x');
});

test('long secrets go wherever they occur, even inside other text', () => {
  const redact = createRedactor(['s3cretPassw0rd!!']);
  assert.equal(redact('auth=xs3cretPassw0rd!!y'), 'auth=x[redacted]y');
});

test('a short secret path goes even right after a port', () => {
  const redact = createRedactor(['/hook/ab1']);
  assert.equal(redact('POST 127.0.0.1:9/hook/ab1 -> 404 /hook/ab1x'), 'POST 127.0.0.1:9[redacted] -> 404 /hook/ab1x');
});
