// MONITOR_LOCATION: where this process runs (issue 16), a short name every row it writes records.
// The daemon and the reporter compose it; the daemon's `playwright test` children inherit it, so a
// run records the location of the daemon that started it. Unset or empty: `local`.
import { z } from 'zod';
import { DEFAULT_LOCATION, locationPattern, locationRule } from '../core/locations.ts';

export const locationVar = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v),
  z
    .string()
    .regex(locationPattern, { error: `must be a location name: ${locationRule}` })
    .default(DEFAULT_LOCATION),
);

export const locationVars = { MONITOR_LOCATION: locationVar };

export const locationSchema = z.object(locationVars);

/**
 * Per-workflow location overrides, MONITOR_LOCATIONS_<WORKFLOW_ID> (id upper-cased, dashes to
 * underscores, as MONITOR_SCHEDULE_<ID>): a comma-separated list of location names.
 */
export const locationsOverridePrefix = 'MONITOR_LOCATIONS_';

export function locationsVariable(workflowId: string): string {
  return `${locationsOverridePrefix}${workflowId.toUpperCase().replace(/-/g, '_')}`;
}

export type LocationOverrides = { overrides: Map<string, string[]>; problems: string[] };

/** Every MONITOR_LOCATIONS_* variable with a non-empty value, by variable name; a bad name is a problem naming it. */
export function locationOverrides(env: NodeJS.ProcessEnv): LocationOverrides {
  const overrides = new Map<string, string[]>();
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(locationsOverridePrefix) || value === undefined || value.trim() === '') continue;
    const names = [
      ...new Set(
        value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ];
    const bad = names.filter((n) => !locationPattern.test(n));
    if (bad.length || !names.length)
      problems.push(`${name}: "${value}" must be location names separated by commas (${locationRule})`);
    else overrides.set(name, names);
  }
  return { overrides, problems };
}
