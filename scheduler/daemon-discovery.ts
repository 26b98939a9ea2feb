// Discovery as the daemon runs it (with its configuration's overrides and the runner variables
// that failed left out), prints it (warnings, broken specs, one line per workflow) and alerts
// once per spec file that does not load.
import { createHash } from 'node:crypto';
import type { AlertSender } from './alerts.ts';
import type { SchedulerConfig } from './config.ts';
import { scheduleRows } from './describe-schedule.ts';
import { brokenLines, discover, type Discovery } from './discover.ts';
import type { Log } from './log.ts';

type DiscoveryOptions = { config: SchedulerConfig; env: NodeJS.ProcessEnv; log: Log };

/** Discovery with the configuration's overrides (the CLI's `list` and `dashboard` run it too). */
export async function runDiscovery(o: Pick<DiscoveryOptions, 'config' | 'env'>): Promise<Discovery> {
  const c = o.config;
  return discover({
    env: o.env,
    omitVariables: c.badRunnerVariables,
    overrides: c.overrides,
    locationOverrides: c.locationOverrides,
    intervalMinutes: c.intervalMinutes,
    timezone: c.timezone,
    allowSeconds: c.allowSecondCron,
  });
}

export function printDiscovery(d: Discovery, o: DiscoveryOptions): void {
  for (const w of d.warnings) o.log(`warning: ${w}`);
  for (const b of brokenLines(d.broken)) o.log(`BROKEN SPEC: ${b}`);
  o.log(`discovered ${d.schedules.length} workflow(s):`);
  for (const r of scheduleRows(d.schedules, new Date(), o.config.timezone)) {
    o.log(
      `  ${r.id.padEnd(24)} ${r.priority.padEnd(8)} ${r.cron.padEnd(16)} ${r.schedule} (${r.source}); next ${r.nextRun ?? 'never'}`,
    );
  }
}

/** One alert per broken file and reason (the mark is in PostgreSQL: a restart does not repeat it). */
export function alertBrokenSpecs(d: Discovery, alerts: Pick<AlertSender, 'sendOnce'>, log: Log): void {
  for (const b of d.broken) {
    void alerts
      .sendOnce(`broken-spec:${b.file}:${createHash('sha256').update(b.reason).digest('hex').slice(0, 16)}`, {
        title: 'Workflow spec does not load',
        message: `${b.file} does not load, so its workflows are not running; every other workflow still runs on schedule. ${b.reason}`,
        error: b.reason,
        context: { file: b.file },
      })
      .catch((e: Error) => log(`could not send the broken-spec alert: ${e.message}`));
  }
}
