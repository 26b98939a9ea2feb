// The alert channels (config.ts) and the alert policy (policy/config.ts) parsed together, once per
// process (and environment), and handed to createAlerting / createOfflineAlerting.
import { loadChannelConfig, type ChannelConfig } from './config.ts';
import { loadPolicyConfig } from './policy/config.ts';
import type { Policy } from './policy/rules.ts';

export type AlertSettings = { channels: ChannelConfig; policy: Policy };

export type AlertSettingsResult = ({ ok: true } & AlertSettings) | { ok: false; problems: string[] };

/** The last parse per environment object, with the environment it was made from. */
const parsed = new WeakMap<NodeJS.ProcessEnv, { from: string; result: AlertSettingsResult }>();

/**
 * Every problem of both, one line per variable; never throws on bad values. Parsed once per
 * environment: the runner's playwright.config.ts checks them and its reporter then uses the same
 * result (the same process.env, unchanged since), instead of parsing them again.
 */
export function loadAlertSettings(env: NodeJS.ProcessEnv): AlertSettingsResult {
  const from = JSON.stringify(env);
  const known = parsed.get(env);
  if (known?.from === from) return known.result;
  const result = parseAlertSettings(env);
  parsed.set(env, { from, result });
  return result;
}

function parseAlertSettings(env: NodeJS.ProcessEnv): AlertSettingsResult {
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
