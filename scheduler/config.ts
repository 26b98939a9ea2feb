// The daemon's environment, parsed once: its own variables with the runner's, retention's and the
// status page's (config/daemon.ts), and the alert channels and policy (notifiers/), every problem
// gathered into one ConfigError, so a bad deploy fails with all of them at once (exit 2).
import { ConfigError } from '../config/parse-env.ts';
import { loadDaemonConfig, type DaemonConfig } from '../config/daemon.ts';
import { loadAlertSettings, type AlertSettings } from '../notifiers/alert-settings.ts';

/** `channels` and `policy` (the alert policy) are parsed here once for the whole process. */
export type SchedulerConfig = DaemonConfig & AlertSettings;

/** Throws a ConfigError listing every problem; never exits by itself. */
export function loadSchedulerConfig(env: NodeJS.ProcessEnv): SchedulerConfig {
  const daemon = loadDaemonConfig(env);
  const alerts = loadAlertSettings(env);
  if (!daemon.ok || !alerts.ok)
    throw new ConfigError([...new Set([daemon, alerts].flatMap((r) => (r.ok ? [] : r.problems)))]);
  return { ...daemon.config, channels: alerts.channels, policy: alerts.policy };
}
