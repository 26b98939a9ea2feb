// Delivery against real local HTTP sinks: one test per fault, isolation, pacing of a burst,
// and no secret anywhere. The slow tests run concurrently (each has its own sinks and notifier).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

// The burst test takes 30 s by design (1/s); everything else runs beside it.
const concurrently = { concurrency: true };
import { refusedUrl, reply, startHttpSink, type HttpSink } from '../../test/sinks/http-sink.ts';
import type { BoundChannel } from '../channel.ts';
import { createNotifier, type NotifierInit } from './deliver.ts';
import type { DeliveryOptions } from './options.ts';
import { digestAlert, failureAlert } from '../../test/helpers/sample-alerts.ts';
import { channelsFrom, recordingNotifier } from '../../test/helpers/recording-notifier.ts';

// Short backoffs; the request bound is not short: at load 35 (the suite's first minutes on 2 CPUs)
// a sink in this process took over 500 ms to answer, and the extra retry failed the attempt counts.
// The tests of the bounds themselves set their own.
const fast: Partial<DeliveryOptions> = {
  requestTimeoutMs: 3000,
  deliveryTimeoutMs: 8000,
  maxAttempts: 4,
  backoffBaseMs: 50,
  backoffMaxMs: 200,
  logTimeoutMs: 1000,
};

const sinks: HttpSink[] = [];
after(async () => {
  await Promise.all(sinks.map((s) => s.close()));
});

async function sink(...script: Parameters<HttpSink['script']>): Promise<HttpSink> {
  const s = await startHttpSink({ script });
  sinks.push(s);
  return s;
}

function notifierFor(
  env: Record<string, string>,
  options: Partial<DeliveryOptions> = fast,
  extra: Partial<NotifierInit> = {},
) {
  return recordingNotifier({ channels: channelsFrom(env), options, ...extra });
}

/** One failure alert through a notifier on `env`: its result, and what the notifier logged and warned. */
async function sendFailure(env: Record<string, string>, options: Partial<DeliveryOptions> = fast) {
  const { notifier, records, warnings } = notifierFor(env, options);
  const [r] = await notifier.send(failureAlert());
  return { r, records, warnings };
}

describe('delivery', concurrently, () => {
  describe('sink faults', concurrently, () => {
    test('500 then 200: retried and delivered', async () => {
      const s = await sink(reply.status(500, 'internal error'), reply.ok());
      const { r, records } = await sendFailure({ SLACK_WEBHOOK_URL: s.urlFor('/services/T0/B0/tok') });
      assert.equal(r?.outcome, 'sent');
      assert.equal(r?.attempts, 2);
      assert.equal(r?.statusCode, 200);
      assert.equal(s.requests.length, 2);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.sent, true);
      assert.equal(records[0]?.attempts, 2);
      assert.equal(records[0]?.statusCode, 200);
      assert.equal(records[0]?.kind, 'failure');
      assert.equal(records[0]?.workflowId, 'user-login');
    });

    test('429 with Retry-After: 2 waits at least 2 s, then succeeds', async () => {
      const s = await sink(reply.rateLimited(2), reply.json(200, { id: '1' }));
      const { r, records } = await sendFailure(
        { DISCORD_WEBHOOK_URL: s.urlFor('/api/webhooks/1/tok') },
        { ...fast, deliveryTimeoutMs: 6000 },
      );
      assert.equal(r?.outcome, 'sent');
      assert.equal(r?.attempts, 2);
      const [first, second] = s.requests;
      assert.ok(first && second);
      assert.ok(second.receivedAt - first.receivedAt >= 2000, `waited ${second.receivedAt - first.receivedAt} ms`);
      assert.equal(first.query.get('wait'), 'true');
      assert.equal(records[0]?.attempts, 2);
    });

    test('a sink that never answers: gives up at the bound', async () => {
      const s = await sink();
      s.setFallback(reply.hang());
      const { r, records } = await sendFailure(
        { ALERT_WEBHOOK_URL: s.urlFor('/hook') },
        { ...fast, requestTimeoutMs: 300, deliveryTimeoutMs: 1500 },
      );
      assert.equal(r?.outcome, 'failed');
      assert.equal(r?.statusCode, null);
      assert.ok((r?.attempts ?? 0) >= 2);
      assert.ok((r?.latencyMs ?? 0) >= 300);
      assert.match(r?.error ?? '', /no answer within 300 ms.*gave up/);
      assert.equal(records[0]?.sent, false);
      assert.match(records[0]?.error ?? '', /gave up/);
    });

    test('connection refused: retried, then reported', async () => {
      const { r, records } = await sendFailure({ TEAMS_WEBHOOK_URL: await refusedUrl('/workflows/x') });
      assert.equal(r?.outcome, 'failed');
      assert.equal(r?.attempts, 4);
      assert.match(r?.error ?? '', /connection refused \(ECONNREFUSED\); gave up after 4 attempts/);
      assert.equal(records[0]?.attempts, 4);
      assert.equal(records[0]?.statusCode, null);
    });

    test("400: not retried, the platform's reason is kept", async () => {
      const s = await sink();
      s.setFallback(reply.status(400, 'invalid_payload'));
      const { r, records } = await sendFailure({ SLACK_WEBHOOK_URL: s.urlFor('/services/T0/B0/tok') });
      assert.equal(r?.outcome, 'failed');
      assert.equal(r?.attempts, 1);
      assert.equal(r?.statusCode, 400);
      assert.equal(s.requests.length, 1);
      assert.match(records[0]?.error ?? '', /HTTP 400 rejected \(answer: invalid_payload\)/);
    });

    test('404: not retried, the webhook is reported dead', async () => {
      const s = await sink();
      s.setFallback(reply.json(404, { message: 'Unknown Webhook', code: 10015 }));
      const { r, records, warnings } = await sendFailure({ DISCORD_WEBHOOK_URL: s.urlFor('/api/webhooks/1/tok') });
      assert.equal(r?.outcome, 'failed');
      assert.equal(r?.dead, true);
      assert.equal(r?.attempts, 1);
      assert.match(r?.error ?? '', /HTTP 404: the webhook is dead .*check DISCORD_WEBHOOK_URL.*Unknown Webhook/);
      assert.equal(records[0]?.statusCode, 404);
      assert.equal(warnings.length, 1);
    });

    test('30 alerts for one Slack webhook in one second: all delivered, in order, none faster than 1/s', async () => {
      const s = await sink();
      const { notifier, records } = notifierFor(
        { SLACK_WEBHOOK_URL: s.urlFor('/services/T0/B0/burst') },
        { ...fast, queueTimeoutMs: 60_000 },
      );
      const sends = Array.from(
        { length: 30 },
        (_, i) =>
          new Promise<void>((resolve, reject) => {
            setTimeout(() => {
              notifier
                .send(failureAlert({ title: `Burst ${i}` }))
                .then((results) => {
                  assert.equal(results[0]?.outcome, 'sent', `alert ${i}: ${results[0]?.error}`);
                  resolve();
                })
                .catch(reject);
            }, i * 33);
          }),
      );
      await Promise.all(sends);
      assert.equal(s.requests.length, 30);
      const titles = s.requests.map(
        (req) => req.json<{ blocks: Array<{ text: { text: string } }> }>().blocks[0]?.text.text,
      );
      assert.deepEqual(
        titles,
        Array.from({ length: 30 }, (_, i) => `🚨 Burst ${i}`),
      );
      for (let i = 1; i < s.requests.length; i += 1) {
        const gap = (s.requests[i]?.receivedAt ?? 0) - (s.requests[i - 1]?.receivedAt ?? 0);
        // The pacer counts from the previous answer, so arrivals are spaced however the network jitters.
        assert.ok(gap >= 1000, `requests ${i - 1} and ${i} only ${gap.toFixed(1)} ms apart`);
      }
      assert.equal(records.filter((r) => r.sent).length, 30);
    });
  });

  describe('fan-out', concurrently, () => {
    test('a hanging channel delays no other', async () => {
      const hanging = await sink();
      hanging.setFallback(reply.hang());
      const quick = await sink();
      const hook = await sink();
      const order: string[] = [];
      const notifier = createNotifier({
        channels: channelsFrom({
          SLACK_WEBHOOK_URL: hanging.urlFor('/services/T0/B0/hang'),
          DISCORD_WEBHOOK_URL: quick.urlFor('/api/webhooks/2/quick'),
          ALERT_WEBHOOK_URL: hook.urlFor('/hook'),
        }),
        log: async (r) => {
          order.push(r.channel);
        },
        warn: () => undefined,
        options: { ...fast, requestTimeoutMs: 3000, deliveryTimeoutMs: 3000, maxAttempts: 1 },
      });
      const results = await notifier.send(failureAlert());
      assert.deepEqual(
        results.map((r) => [r.channel, r.outcome]),
        [
          ['slack', 'failed'],
          ['discord', 'sent'],
          ['webhook', 'sent'],
        ],
      );
      assert.equal(order.at(-1), 'slack', `log order ${order.join(', ')}`);
    });

    test('send never throws: broken channels and a broken log become results', async () => {
      const broken = (type: BoundChannel['type'], part: 'render' | 'send'): BoundChannel => ({
        type,
        target: 'test',
        targetVariable: 'X',
        secrets: [],
        paceKey: type,
        rate: { limit: 100, windowMs: 1000 },
        render: () => {
          if (part === 'render') throw new Error('render bug');
          return [{}];
        },
        title: () => 'title',
        send: async () => {
          throw new Error('send bug');
        },
      });
      const warnings: string[] = [];
      const notifier = createNotifier({
        channels: [broken('slack', 'render'), broken('discord', 'send')],
        log: async () => {
          throw new Error('database down');
        },
        warn: (line) => warnings.push(line),
        options: fast,
      });
      const results = await notifier.send(failureAlert());
      assert.deepEqual(
        results.map((r) => r.outcome),
        ['failed', 'failed'],
      );
      assert.match(results[0]?.error ?? '', /could not render: render bug/);
      assert.match(results[1]?.error ?? '', /channel error: send bug/);
      assert.equal(results[1]?.attempts, 1);
      assert.ok(warnings.some((w) => /could not record a slack notification: database down/.test(w)));
    });

    test('a hanging log is bounded', async () => {
      const s = await sink();
      const warnings: string[] = [];
      const notifier = createNotifier({
        channels: channelsFrom({ ALERT_WEBHOOK_URL: s.urlFor('/hook') }),
        log: () => new Promise(() => undefined),
        warn: (line) => warnings.push(line),
        options: { ...fast, logTimeoutMs: 200 },
      });
      const [r] = await notifier.send(failureAlert());
      assert.equal(r?.outcome, 'sent');
      assert.match(warnings[0] ?? '', /did not finish within 200 ms/);
    });

    test("a split digest to a hanging sink: every part logged, all within the alert's bound", async () => {
      const s = await sink();
      s.setFallback(reply.hang());
      const { notifier, records } = notifierFor(
        { DISCORD_WEBHOOK_URL: s.urlFor('/api/webhooks/3/tok') },
        { ...fast, requestTimeoutMs: 200, deliveryTimeoutMs: 500, queueTimeoutMs: 300 },
      );
      const [r] = await notifier.send(digestAlert(40));
      assert.equal(r?.outcome, 'failed');
      assert.ok((r?.messages ?? 0) > 2);
      assert.equal(records.length, r?.messages);
      assert.ok(records.every((rec) => !rec.sent && rec.error));
      assert.match(records.at(-1)?.error ?? '', /alert's time bound/);
      assert.match(records.at(-1)?.title ?? '', /\(\d+\/\d+\)$/);
    });

    test('only the channels asked for', async () => {
      const a = await sink();
      const b = await sink();
      const { notifier } = notifierFor({ SLACK_WEBHOOK_URL: a.urlFor('/s'), ALERT_WEBHOOK_URL: b.urlFor('/h') });
      const results = await notifier.send(failureAlert(), { channels: ['webhook'] });
      assert.deepEqual(
        results.map((r) => r.channel),
        ['webhook'],
      );
      assert.equal(a.requests.length, 0);
    });
  });
});
