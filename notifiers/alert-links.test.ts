// Issue 12.16: with MONITOR_PUBLIC_URL set, every alert links to its result on the dashboard
// (the failure view of its run's attempt) and, when a trace was kept, to the trace viewer on
// it, on every channel, delivered to local sinks. Without it, no link is invented.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHttpSink } from '../test/sinks/http-sink.ts';
import { startSmtpSink } from '../test/sinks/smtp-sink.ts';
import { loadChannelConfig } from './config.ts';
import { createNotifier } from './delivery/deliver.ts';
import { digestAlert, failureAlert, recoveryAlert } from '../test/helpers/sample-alerts.ts';

const publicUrl = 'https://monitor.internal.test/';
const result = 'https://monitor.internal.test/#/run/run_1234567890_abc123/user-login';
const trace = `https://monitor.internal.test/trace-viewer/index.html?trace=${encodeURIComponent('https://monitor.internal.test/api/artifact?run=run_1234567890_abc123&workflow=user-login&kind=trace')}`;

test('every channel links the alert to its failure view and trace when MONITOR_PUBLIC_URL is set', async (t) => {
  const http = await startHttpSink({});
  const smtp = await startSmtpSink({});
  t.after(async () => {
    await Promise.all([http.close(), smtp.close()]);
  });
  const env = {
    SLACK_WEBHOOK_URL: http.urlFor('/slack'),
    DISCORD_WEBHOOK_URL: http.urlFor('/api/webhooks/1/discord'),
    TEAMS_WEBHOOK_URL: http.urlFor('/teams'),
    ALERT_WEBHOOK_URL: http.urlFor('/hook'),
    PAGERDUTY_ROUTING_KEY: 'Rk0123456789abcdef0123456789abcd',
    PAGERDUTY_EVENTS_URL: http.urlFor('/pagerduty'),
    ...smtp.env(),
    MONITOR_PUBLIC_URL: publicUrl,
  };
  const send = async (environment: Record<string, string>, alert = failureAlert({ traceUrl: null })) => {
    const config = loadChannelConfig(environment);
    assert.ok(config.ok, JSON.stringify(!config.ok && config.problems));
    const n = createNotifier({
      channels: config.channels,
      options: { ...config.options, requestTimeoutMs: 5000, pacing: { slack: { limit: 100, windowMs: 1000 } } },
    });
    const from = http.requests.length;
    const mails = smtp.messages.length;
    for (const r of await n.send(alert)) assert.equal(r.outcome, 'sent', `${r.channel}: ${r.error}`);
    await smtp.waitForMessages(mails + 1, 10_000);
    const byChannel: Record<string, string> = {};
    for (const req of http.requests.slice(from))
      byChannel[req.path.split('/').filter(Boolean)[0] === 'api' ? 'discord' : req.path.slice(1)] = req.body;
    const mail = smtp.messages[mails]!;
    byChannel.email = `${mail.text}\n${mail.html}`;
    return byChannel;
  };
  const linked = await send(env);
  assert.deepEqual(Object.keys(linked).sort(), ['discord', 'email', 'hook', 'pagerduty', 'slack', 'teams']);
  for (const [channel, body] of Object.entries(linked)) {
    // JSON may escape & as \u0026, HTML as &amp;.
    const plain = body.replace(/\\u0026/g, '&').replace(/&amp;/g, '&');
    assert.ok(plain.includes(result), `${channel} links the failure view: ${body.slice(0, 400)}`);
    assert.ok(plain.includes(trace), `${channel} links the trace viewer`);
  }
  const hook = JSON.parse(linked.hook!) as { artifacts: { resultUrl: string; traceUrl: string } };
  assert.deepEqual(hook.artifacts.resultUrl, result);
  const pd = JSON.parse(linked.pagerduty!) as { links: { href: string; text: string }[] };
  assert.deepEqual(
    pd.links.map((l) => l.text),
    ['Result on the dashboard', 'Playwright trace'],
  );

  // A recovery links its (passing) result too; a digest, about many runs, links the overview.
  const recovery = await send(env, recoveryAlert());
  assert.ok(recovery.slack!.includes('https://monitor.internal.test/#/run/run_1234569999_def456/user-login'));
  const digest = await send(env, digestAlert(3));
  assert.ok(JSON.parse(digest.hook!).artifacts.resultUrl === 'https://monitor.internal.test/');

  const { MONITOR_PUBLIC_URL: _unset, ...without } = env;
  const plain = await send(without);
  for (const [channel, body] of Object.entries(plain))
    assert.ok(!body.includes('monitor.internal.test'), `${channel}: no link without MONITOR_PUBLIC_URL`);
  assert.deepEqual(
    loadChannelConfig({ MONITOR_PUBLIC_URL: 'monitor.internal.test' }).ok
      ? []
      : (loadChannelConfig({ MONITOR_PUBLIC_URL: 'monitor.internal.test' }) as { problems: string[] }).problems,
    ['MONITOR_PUBLIC_URL: must be an http(s) URL like https://monitor.example.com'],
  );
});
