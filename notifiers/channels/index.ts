// Every channel, by type. Exhaustive on purpose: a new ChannelType does not compile until it
// has a definition here.
import type { ChannelDefinition } from '../channel.ts';
import type { ChannelType } from '../../core/alerts.ts';
import { discordChannel } from './discord.ts';
import { emailChannel } from './email.ts';
import { pagerDutyChannel } from './pagerduty.ts';
import { slackChannel } from './slack.ts';
import { teamsChannel } from './teams.ts';
import { webhookChannel } from './webhook.ts';

export const channelDefinitions: Record<ChannelType, ChannelDefinition<unknown, unknown>> = {
  slack: slackChannel,
  discord: discordChannel,
  teams: teamsChannel,
  webhook: webhookChannel,
  email: emailChannel,
  pagerduty: pagerDutyChannel,
};
