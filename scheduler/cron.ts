// Cron arithmetic with croner, the same parser core/cron.ts validates schedules with, so what a
// spec may declare and what the daemon can schedule never disagree.
import { Cron } from 'croner';

// Parsed once per (expression, time zone) and reused: a paused Cron's nextRun(after) depends on
// its argument only, and parsing is most of what an occurrence costs.
const parsed = new Map<string, Cron>();
const maxParsed = 50_000;

export function cronOf(expression: string, timezone: string | undefined): Cron {
  const key = `${timezone ?? ''}\n${expression}`;
  let cron = parsed.get(key);
  if (!cron) {
    if (parsed.size >= maxParsed) parsed.clear();
    cron = new Cron(expression, { paused: true, ...(timezone ? { timezone } : {}) });
    parsed.set(key, cron);
  }
  return cron;
}

/** Occurrences in (from, to], oldest first, at most `limit`. */
export function occurrencesBetween(expression: string, from: Date, to: Date, timezone?: string, limit = 1000): Date[] {
  const cron = cronOf(expression, timezone);
  const out: Date[] = [];
  let cursor: Date | null = from;
  while (out.length < limit) {
    cursor = cron.nextRun(cursor);
    if (!cursor || cursor.getTime() > to.getTime()) break;
    out.push(cursor);
  }
  return out;
}

export function nextOccurrence(expression: string, after: Date, timezone?: string): Date | null {
  return cronOf(expression, timezone).nextRun(after);
}

/**
 * The longest gap between consecutive occurrences over the next `samples` ones: "its interval"
 * for missed-run detection. The longest gap, so that a weekday-only schedule does not look
 * missed every Monday morning.
 */
export function cronIntervalMs(expression: string, from: Date, timezone?: string, samples = 8): number {
  const runs = cronOf(expression, timezone).nextRuns(samples + 1, from);
  let longest = 0;
  for (let i = 1; i < runs.length; i++) longest = Math.max(longest, runs[i]!.getTime() - runs[i - 1]!.getTime());
  return longest || 60_000;
}

/** A cron expression for "every N minutes"; N must divide an hour, or be whole hours dividing a day. */
export function intervalCron(minutes: number): string | undefined {
  if (minutes >= 1 && minutes < 60 && 60 % minutes === 0) return minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
  if (minutes >= 60 && minutes % 60 === 0 && 1440 % minutes === 0) {
    const hours = minutes / 60;
    return hours === 1 ? '0 * * * *' : hours === 24 ? '0 0 * * *' : `0 */${hours} * * *`;
  }
  return undefined;
}
