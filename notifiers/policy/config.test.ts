// The environment: defaults when nothing is set, every variable applied, one problem line per variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../config/parse-env.ts';
import { loadPolicyConfig, parsePolicyConfig } from './config.ts';
import { defaultPolicy, resolveRules } from './rules.ts';

test('nothing set: the defaults', () => {
  assert.deepEqual(loadPolicyConfig({}), { ok: true, policy: defaultPolicy });
  assert.deepEqual(loadPolicyConfig({ ALERT_ROUTES: '', ALERT_POLICY: ' ', MAINTENANCE_WINDOWS: '' }), {
    ok: true,
    policy: defaultPolicy,
  });
});

test('every variable is applied', () => {
  const r = loadPolicyConfig({
    ALERT_REMINDER_MINUTES: '30',
    NOTIFY_ON_SUCCESS: 'true',
    ALERT_ROUTES: 'critical=pagerduty,low=',
    ALERT_MAX_PER_HOUR: '5',
    ALERT_MAX_PER_DAY: '50',
    MAINTENANCE_WINDOWS: '[{"cron":"0 3 * * 0","durationMinutes":60,"tags":["payments"]}]',
    ALERT_POLICY: '{"byTag":{"@checkout":{"down":{"consecutiveFailures":1}}},"storm":{"holdSeconds":10}}',
  });
  assert.ok(r.ok);
  const p = r.policy;
  assert.equal(p.rules.reminderMinutes, 30);
  assert.equal(resolveRules(p, 'critical', []).notifyOnSuccess, true);
  assert.equal(resolveRules(p, 'high', []).notifyOnSuccess, false);
  assert.equal(
    resolveRules(p, 'critical', []).down.consecutiveFailures,
    1,
    'the critical default survives NOTIFY_ON_SUCCESS',
  );
  assert.deepEqual(
    p.routes,
    { ...defaultPolicy.routes, critical: ['pagerduty'], low: [] },
    'a priority left out keeps the default: every channel',
  );
  assert.deepEqual(p.throttle, { maxPerHour: 5, maxPerDay: 50 });
  assert.equal(p.maintenance.length, 1);
  assert.equal(resolveRules(p, 'medium', ['@checkout']).down.consecutiveFailures, 1);
  assert.equal(p.storm.holdSeconds, 10);
  assert.equal(p.storm.minWorkflows, defaultPolicy.storm.minWorkflows);
});

test('a dedicated variable wins over ALERT_POLICY', () => {
  const r = loadPolicyConfig({
    ALERT_POLICY: '{"rules":{"reminderMinutes":5},"routes":{"high":["teams"]}}',
    ALERT_REMINDER_MINUTES: '90',
    ALERT_ROUTES: 'high=discord',
  });
  assert.ok(r.ok);
  assert.equal(r.policy.rules.reminderMinutes, 90);
  assert.deepEqual(r.policy.routes.high, ['discord']);
});

test('every problem at once, one line per variable, naming it', () => {
  const r = loadPolicyConfig({
    ALERT_REMINDER_MINUTES: 'soon',
    NOTIFY_ON_SUCCESS: 'maybe',
    ALERT_ROUTES: 'urgent=slack,high=sms',
    ALERT_MAX_PER_HOUR: '0',
    ALERT_MAX_PER_DAY: '-1',
    MAINTENANCE_WINDOWS: '[{"start":"tomorrow"}',
    ALERT_POLICY: '{"rules":{"down":{"consecutiveFailure":2}}}',
  });
  assert.ok(!r.ok);
  assert.deepEqual(
    r.problems.map((p) => p.split(':')[0]),
    [
      'ALERT_REMINDER_MINUTES',
      'NOTIFY_ON_SUCCESS',
      'ALERT_MAX_PER_HOUR',
      'ALERT_MAX_PER_DAY',
      'MAINTENANCE_WINDOWS',
      'ALERT_POLICY',
      'ALERT_ROUTES',
    ],
  );
  assert.match(r.problems.find((p) => p.startsWith('MAINTENANCE_WINDOWS')) ?? '', /not valid JSON/);
  assert.match(r.problems.find((p) => p.startsWith('ALERT_POLICY')) ?? '', /consecutiveFailure/);
  assert.match(r.problems.find((p) => p.startsWith('ALERT_ROUTES')) ?? '', /urgent.*; high: unknown channel sms/);
});

test('limits must agree with each other', () => {
  const r = loadPolicyConfig({ ALERT_MAX_PER_HOUR: '20', ALERT_MAX_PER_DAY: '10' });
  assert.deepEqual(r, { ok: false, problems: ['ALERT_MAX_PER_DAY: must be at least ALERT_MAX_PER_HOUR (20)'] });
});

test('parsePolicyConfig throws a ConfigError for entry points', () => {
  assert.throws(
    () => parsePolicyConfig({ ALERT_MAX_PER_HOUR: 'x' }),
    (e) => e instanceof ConfigError && e.problems.length === 1,
  );
});
