// The alert channels (config.ts) and the alert policy (policy/config.ts) parsed together, once per
// process by its entry point, and handed to createAlerting / createOfflineAlerting.
import { loadChannelConfig, type ChannelConfig } from './config.ts';
import { loadPolicyConfig } from './policy/config.ts';
import type { Policy } from './policy/rules.ts';

export type AlertSettings = { channels: ChannelConfig; policy: Policy };

export type AlertSettingsResult = ({ ok: true } & AlertSettings) | { ok: false; problems: string[] };

/** Every problem of both, one line per variable; never throws on bad values. */
export function loadAlertSettings(env: NodeJS.ProcessEnv): AlertSettingsResult {
  const channels = loadChannelConfig(env);
  const policy = loadPolicyConfig(env);
  if (!channels.ok || !policy.ok)
    return { ok: false, problems: [...(channels.ok ? [] : channels.problems), ...(policy.ok ? [] : policy.problems)] };
  return {
    ok: true,
    channels: { channels: channels.channels, options: channels.options },
    policy: policy.policy,
  };
}
