// Channel settings for rendering tests: valid, pointing nowhere real.
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
