// The run's alerting, once its database answers or not: the policy on PostgreSQL, else the
// bounded local fallback (offline-alerting.ts) whose deliveries are spooled with the run's rows;
// the executions replayed from the outbox go to the policy first (they happened first).
import type { Alerting } from '../notifiers/policy/alerting.ts';
import { createAlerting } from '../notifiers/policy/alerting.ts';
import { createOfflineAlerting } from '../notifiers/policy/offline-alerting.ts';
import { describe, type Persistence } from './persistence.ts';

export function connectAlerting(
  persistence: Persistence,
  env: NodeJS.ProcessEnv,
  stateDir: string,
  log: (line: string) => void,
): Promise<Alerting | null> {
  return persistence.ready.then(async (pool) => {
    const setup = pool
      ? createAlerting(pool, env, log, { stateDir })
      : createOfflineAlerting({
          stateDir,
          env,
          warn: log,
          spoolLog: (record) => persistence.spoolNotification(record),
        });
    if (!setup.ok) {
      for (const problem of setup.problems) log(`alerts disabled: configuration error: ${problem}`);
      return null;
    }
    if (pool && persistence.replayed.length) {
      await setup.alerting
        .onReplayed(persistence.replayed)
        .catch((error: unknown) => log(`replayed executions not applied to the alert policy: ${describe(error)}`));
    }
    return setup.alerting;
  });
}
