// The scheduler's configuration for a CLI command: loaded from the process environment, or the
// command exits 2 with one line per problem, each labelled with the command's name.
import { processEnv, type Env } from '../../config/env.ts';
import { exitOnConfigError } from '../../config/parse-env.ts';
import { loadSchedulerConfig, type SchedulerConfig } from '../../scheduler/config.ts';

export function cliSchedulerConfig(label: string): { env: Env; config: SchedulerConfig } {
  const env = processEnv();
  try {
    return { env, config: loadSchedulerConfig(env) };
  } catch (error) {
    exitOnConfigError(error, label);
  }
}
