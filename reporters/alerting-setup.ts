// The run's alerting, once its database answers or not: the policy on PostgreSQL, else the
// bounded local fallback (offline-alerting.ts) whose deliveries are spooled with the run's rows;
// the executions replayed from the outbox go to the policy first (they happened first). The alert
// settings and the policy's modules load here, in the background while the run starts, not when
// the reporter is imported.
import type { Alerting } from '../notifiers/policy/alerting.ts';
import { describe, type Persistence } from './persistence.ts';

export function connectAlerting(
  persistence: Persistence,
  env: NodeJS.ProcessEnv,
  stateDir: string,
  log: (line: string) => void,
  location?: string,
): Promise<Alerting | null> {
  const modules = Promise.all([
    import('../notifiers/alert-settings.ts'),
    import('../notifiers/policy/alerting.ts'),
    import('../notifiers/policy/offline-alerting.ts'),
  ]);
  return Promise.all([persistence.ready, modules]).then(
    async ([pool, [{ loadAlertSettings }, { createAlerting }, { createOfflineAlerting }]]) => {
      const settings = loadAlertSettings(env);
      if (!settings.ok) {
        for (const problem of settings.problems) log(`alerts disabled: configuration error: ${problem}`);
        return null;
      }
      const alerting = pool
        ? createAlerting(pool, settings, log, { stateDir, ...(location ? { location } : {}) })
        : createOfflineAlerting({
            stateDir,
            settings,
            warn: log,
            spoolLog: (record) => persistence.spoolNotification(location ? { ...record, location } : record),
          });
      if (pool && persistence.replayed.length) {
        await alerting
          .onReplayed(persistence.replayed)
          .catch((error: unknown) => log(`replayed executions not applied to the alert policy: ${describe(error)}`));
      }
      return alerting;
    },
    (error: unknown) => {
      log(`alerts disabled: the alerting could not start: ${describe(error)}`);
      return null;
    },
  );
}
