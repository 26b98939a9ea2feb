// The alert settings are parsed once per environment: the runner's config check and its reporter
// share the result, and a changed environment is parsed again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadAlertSettings } from './alert-settings.ts';

test('the same unchanged environment is parsed once; a changed one again', () => {
  const env: NodeJS.ProcessEnv = { SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x' };
  const first = loadAlertSettings(env);
  assert.equal(first.ok, true);
  assert.equal(loadAlertSettings(env), first, 'the same result, not a second parse');
  assert.notEqual(loadAlertSettings({ ...env }), first, 'another environment object is parsed on its own');
  env.SLACK_WEBHOOK_URL = 'not a url';
  const changed = loadAlertSettings(env);
  assert.equal(changed.ok, false, 'the changed value is seen');
  assert.ok(!changed.ok && changed.problems.some((p) => p.startsWith('SLACK_WEBHOOK_URL')), JSON.stringify(changed));
});
