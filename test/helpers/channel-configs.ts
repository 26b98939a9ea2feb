// Channel configurations for render tests (notifiers/render*.test.ts, notifiers/channels/layout.test.ts):
// fake secrets in the real URL shapes, pointing nowhere real, so a test can also check that none leaks.
export const slackConfig = { webhookUrl: 'https://hooks.slack.com/services/T0/B0/secret', channel: '#monitoring' };
export const discordConfig = { webhookUrl: 'https://discord.com/api/webhooks/1/secret', username: null };
export const pdConfig = {
  routingKey: 'R0123456789abcdef0123456789abcde',
  eventsUrl: 'https://events.pagerduty.com/v2/enqueue',
  source: 'monitor-host',
};
export const webhookConfig = { url: 'https://alerts.example.com/hook', secret: null, headers: {} };
export const emailConfig = {
  host: 'x',
  port: 25,
  secure: false,
  user: null,
  password: null,
  from: 'a@b.c',
  to: ['d@e.f'],
};

export const allText = (value: unknown): string => JSON.stringify(value);
