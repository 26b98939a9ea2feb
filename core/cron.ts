// Cron validation with croner, the parser the daemon schedules with: what a spec may declare
// (`workflow()`), what the daemon accepts (MONITOR_* schedules) and what it can run agree.
import { Cron } from 'croner';

export type CronOptions = { timezone?: string | undefined; allowSeconds?: boolean };

/** Why `expression` is not a schedule we run, or undefined when it is (five fields). */
export function cronProblem(expression: string, options: CronOptions = {}): string | undefined {
  const fields = expression.trim().split(/\s+/).length;
  try {
    new Cron(expression, { paused: true, ...(options.timezone ? { timezone: options.timezone } : {}) });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (fields === 5) return undefined;
  // Six fields (seconds first) are for tests only: pg-boss and people think in minutes.
  if (fields === 6 && options.allowSeconds) return undefined;
  return 'use five fields: minute hour day month weekday';
}
