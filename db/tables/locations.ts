// The runner registry (issue 16): monitor_locations, one row per location ever seen. Each daemon's
// capacity heartbeat says its location is alive (with its host, version and shortest schedule
// interval); any daemon flags the locations silent for two of those intervals as offline. Both
// flips are one statement on the location's row, so across every daemon one of them sends the
// "runner offline" alert of an episode, and one its recovery.
import { z } from 'zod';
import { sql, type CommonQueryMethods } from 'slonik';

export type LocationBeat = { location: string; host: string; version: string | null; intervalMs: number };

/** The episode this beat ended: the location was offline since `offlineSince` (this caller sends the recovery). */
export type Recovered = { location: string; offlineSince: Date; seenBefore: Date };

/** Says `location` is alive now; returns the offline episode this call ended, if any. */
export async function beatLocation(db: CommonQueryMethods, b: LocationBeat): Promise<Recovered | null> {
  const back = await db.maybeOne(sql.type(
    z.object({ location: z.string(), offlineSince: z.date(), seenBefore: z.date() }),
  )`
    UPDATE monitor_locations l SET offline = false, seen_at = now(), host = ${b.host}, version = ${b.version},
      interval_ms = ${Math.round(b.intervalMs)}
    FROM (SELECT location, seen_at, offline_since FROM monitor_locations WHERE location = ${b.location} FOR UPDATE) prev
    WHERE l.location = prev.location AND l.offline
    RETURNING l.location, coalesce(prev.offline_since, now()) AS "offlineSince", prev.seen_at AS "seenBefore"`);
  await db.query(sql.type(z.object({}))`
    INSERT INTO monitor_locations (location, host, version, interval_ms)
    VALUES (${b.location}, ${b.host}, ${b.version}, ${Math.round(b.intervalMs)})
    ON CONFLICT (location) DO UPDATE SET seen_at = now(), host = EXCLUDED.host, version = EXCLUDED.version,
      interval_ms = EXCLUDED.interval_ms`);
  return back;
}

/** monitor_locations as the registry lists it, with the live daemons of each location. */
const locationRow = z.object({
  location: z.string(),
  firstSeenAt: z.date(),
  seenAt: z.date(),
  host: z.string().nullable(),
  version: z.string().nullable(),
  intervalMs: z.number().nullable(),
  offline: z.boolean(),
  offlineSince: z.date().nullable(),
  /** Daemons of this location seen within the staleness bound (scheduler_daemons). */
  daemons: z.number(),
});
export type LocationRow = z.infer<typeof locationRow>;

const wentOfflineRow = locationRow
  .pick({ location: true, seenAt: true, host: true, version: true })
  .extend({ silentMs: z.number() });
export type WentOffline = z.infer<typeof wentOfflineRow>;

/**
 * Locations silent for two of their intervals (each at least `minIntervalMs`), flagged offline now:
 * the caller alerts for each row returned (no other caller gets the same row).
 */
export async function flagOfflineLocations(db: CommonQueryMethods, minIntervalMs: number): Promise<WentOffline[]> {
  const rows = await db.any(sql.type(wentOfflineRow)`
    UPDATE monitor_locations SET offline = true, offline_since = now()
    WHERE NOT offline
      AND seen_at < now() - 2 * greatest(coalesce(interval_ms, 0), ${Math.round(minIntervalMs)}) * interval '1 millisecond'
    RETURNING location, seen_at AS "seenAt", (extract(epoch FROM now() - seen_at) * 1000)::float8 AS "silentMs",
      host, version`);
  return [...rows];
}

/** Every location the registry holds, by name, with its live daemons (seen within `staleMs`). */
export async function listLocations(db: CommonQueryMethods, staleMs: number): Promise<LocationRow[]> {
  const rows = await db.any(sql.type(locationRow)`
    SELECT l.location, l.first_seen_at AS "firstSeenAt", l.seen_at AS "seenAt", l.host, l.version,
      l.interval_ms::float8 AS "intervalMs", l.offline, l.offline_since AS "offlineSince",
      (SELECT count(*)::int FROM scheduler_daemons d
        WHERE d.location = l.location AND d.seen_at > now() - ${staleMs} * interval '1 millisecond') AS daemons
    FROM monitor_locations l ORDER BY l.location`);
  return [...rows];
}

/** The locations not flagged offline: where a workflow assigned to every location runs from now. */
export async function activeLocations(db: CommonQueryMethods): Promise<string[]> {
  const rows = await db.anyFirst(sql.type(z.object({ location: z.string() }))`
    SELECT location FROM monitor_locations WHERE NOT offline ORDER BY location`);
  return [...rows];
}
