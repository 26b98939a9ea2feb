// What the list reads (attempts, reports) share: a WHERE made of the conditions a caller's filter
// sets, and the caller's row limit within its bounds.
import { sql, type FragmentSqlToken, type ListSqlToken } from 'slonik';

/** The conditions that apply (`false` for a filter field left unset), joined by AND; `true` without any. */
export function whereAll(conditions: readonly (FragmentSqlToken | false)[]): ListSqlToken {
  const set = conditions.filter((c) => c !== false);
  return sql.join([sql.fragment`true`, ...set], sql.fragment` AND `);
}

/** A whole number of rows from 1 to `max`; `fallback` when the caller gave none. */
export const rowLimit = (limit: number | undefined, fallback: number, max: number): number =>
  Math.min(Math.max(1, Math.floor(limit ?? fallback)), max);
