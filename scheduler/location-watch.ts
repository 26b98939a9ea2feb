// The runner registry as one daemon keeps it (issue 16), on the capacity heartbeat's cadence: says
// its location is alive (monitor_locations: host, version, its shortest schedule interval), flags
// the locations silent for two of their intervals (bounded below by the heartbeat cadence) as
// offline, and sends one "runner offline" alert per episode and one recovery when the location is
// seen again: each flip is one statement on the location's row, so one daemon of all sends each.
// A daemon that stops cleanly leaves its location's row: a stopped location is one that alerts.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import type { DatabasePool } from '../db/pool.ts';
import { beatLocation, flagOfflineLocations, listLocations, type LocationRow } from '../db/tables/locations.ts';
import type { AlertSender } from './alerts.ts';
import { slotMs } from './capacity.ts';
import type { HealthState } from './health.ts';
import { repoRoot } from './playwright-cli.ts';
import type { ResolvedSchedule } from './schedules.ts';

/** package.json's version: what each daemon says it runs. */
export const monitorVersion: string | null = (() => {
  try {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
})();

export type LocationWatchDeps = {
  location: string;
  schedules: () => readonly ResolvedSchedule[];
  timezone?: string | undefined;
  /** The heartbeat cadence (the capacity check's): an interval is never shorter. */
  cadenceMs: number;
  health: HealthState;
  alerts: Pick<AlertSender, 'sendOnce'>;
  log: (line: string) => void;
};

/** What /healthz, /api/daemon and `list` show of one location. */
export function locationView(r: LocationRow, now = new Date()) {
  return {
    location: r.location,
    lastSeenAt: r.seenAt.toISOString(),
    lastSeenAgeSeconds: Math.max(0, Math.round((now.getTime() - r.seenAt.getTime()) / 100) / 10),
    offline: r.offline,
    offlineSince: r.offline ? (r.offlineSince?.toISOString() ?? null) : null,
    daemons: r.daemons,
    host: r.host,
    version: r.version,
    intervalSeconds: r.intervalMs === null ? null : r.intervalMs / 1000,
  };
}
export type LocationView = ReturnType<typeof locationView>;

const seconds = (ms: number) => (ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/** This location's interval: the shortest gap of its workflows' schedules, at least the cadence. */
export function locationIntervalMs(
  schedules: readonly ResolvedSchedule[],
  timezone: string | undefined,
  cadenceMs: number,
): number {
  const shortest = Math.min(...schedules.map((s) => slotMs(s.cron, timezone)));
  return Math.max(cadenceMs, Number.isFinite(shortest) ? shortest : cadenceMs);
}

export function createLocationWatch(d: LocationWatchDeps) {
  const host = hostname();
  return {
    /** One heartbeat: this location alive, the silent ones offline, the registry into /healthz. */
    async beat(pool: DatabasePool, daemonsStaleMs: number): Promise<void> {
      const intervalMs = locationIntervalMs(d.schedules(), d.timezone, d.cadenceMs);
      const back = await beatLocation(pool, { location: d.location, host, version: monitorVersion, intervalMs });
      if (back) {
        const downMs = Date.now() - back.offlineSince.getTime();
        d.log(`RUNNER BACK: location ${back.location} is seen again (offline for ${seconds(downMs)})`);
        await d.alerts.sendOnce(`runner-back:${back.location}:${back.offlineSince.toISOString()}`, {
          title: `Runner back: ${back.location}`,
          message: `Location ${back.location} is running workflows again (host ${host}, version ${monitorVersion ?? 'unknown'}), after ${seconds(downMs)} offline.`,
          priority: 'high',
          context: { location: back.location, offlineSince: back.offlineSince.toISOString() },
        });
      }
      for (const gone of await flagOfflineLocations(pool, d.cadenceMs)) {
        d.log(`RUNNER OFFLINE: location ${gone.location} not seen for ${seconds(gone.silentMs)}`);
        await d.alerts.sendOnce(`runner-offline:${gone.location}:${gone.seenAt.toISOString()}`, {
          title: `Runner offline: ${gone.location}`,
          message: `No daemon of location ${gone.location} has been seen for ${seconds(gone.silentMs)} (last seen ${gone.seenAt.toISOString()} on ${gone.host ?? 'an unknown host'}, version ${gone.version ?? 'unknown'}): its workflows are not checked from there. The other locations go on.`,
          priority: 'high',
          context: { location: gone.location, lastSeenAt: gone.seenAt.toISOString(), seenBy: d.location },
        });
      }
      d.health.locations = (await listLocations(pool, daemonsStaleMs)).map((r) => locationView(r));
    },
  };
}
