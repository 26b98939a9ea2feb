// Locations (issue 16): where a daemon and its runs are, a short name every row records. One
// PostgreSQL, several locations; each workflow runs from every location it is assigned to, and
// the alert policy decides on all of them together (a quorum of them failing is DOWN).

/** The location of a process that names none (MONITOR_LOCATION unset): today's single place. */
export const DEFAULT_LOCATION = 'local';

/** A location name: a lower-case letter, then up to 31 lower-case letters, digits or dashes. */
export const locationPattern = /^[a-z][a-z0-9-]{0,31}$/;

export const locationRule = 'a lower-case letter, then up to 31 lower-case letters, digits or dashes';

/** null when `name` is a valid location, else why not (in words, for a configuration error). */
export function locationProblem(name: string): string | null {
  return locationPattern.test(name) ? null : `"${name}" is not a location name (${locationRule})`;
}

/** The quorum when the policy names none: a majority of `n` active locations (1 when there is one). */
export function defaultQuorum(n: number): number {
  if (!Number.isFinite(n) || n <= 1) return 1;
  return Math.floor(n / 2) + 1;
}
