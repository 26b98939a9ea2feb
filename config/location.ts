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
