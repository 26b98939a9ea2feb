// GET /api/overview[?page=&size=&priority=&tag=]: the overview, fresh on every request. A cheap
// marker (db/tables/overview-model.ts overviewMarker) says whether anything the tiles show has
// changed; when not, the tiles computed for that marker and each page's serialised body are
// reused, and a request carrying the body's ETag in If-None-Match gets 304. When it has, the
// read model recomputes the workflows that changed and one query reads every tile.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DatabasePool } from '../db/pool.ts';
import {
  overviewMarker,
  readOverviewBeats,
  readOverviewLocations,
  type Beat,
  type LocationLast,
} from '../db/tables/overview-model.ts';
import { securityHeaders, type DashboardResponse } from './http.ts';
import { overview, type OverviewTile, type ScheduleInfo } from './queries.ts';

/** Tiles per page: a screenful or two; the page asks for the next page itself. */
export const OVERVIEW_PAGE_SIZE = 24;
const MAX_PAGE_SIZE = 500;

type Computed = { key: string; value: Awaited<ReturnType<typeof overview>>; tags: string[] };
type Body = { body: string; etag: string };

export type OverviewQuery = { page: number; size: number; priority: string; tag: string };

export function overviewQuery(url: URL): OverviewQuery {
  const int = (name: string, fallback: number) => {
    const n = Number(url.searchParams.get(name) ?? fallback);
    return Number.isSafeInteger(n) && n > 0 ? n : fallback;
  };
  return {
    page: int('page', 1),
    size: Math.min(MAX_PAGE_SIZE, int('size', OVERVIEW_PAGE_SIZE)),
    priority: url.searchParams.get('priority') ?? '',
    tag: url.searchParams.get('tag') ?? '',
  };
}

/**
 * One page of tiles (filtered by priority and tag), with what the pager and the filters need.
 * Nothing in it says when it was computed: recomputed with the same figures (another page's
 * workflow changed), it is the same body with the same ETag.
 * Beats: [id, started at (epoch ms), duration ms, status], oldest first; the sparkline is the newest 20.
 * Locations (issue 16): a tile run from more than one location gets each one's latest attempt
 * (its state there: failing when that attempt failed); a single-location tile is as before.
 */
export function overviewPage(
  computed: Computed,
  q: OverviewQuery,
  beats: ReadonlyMap<string, Beat[]>,
  locations: ReadonlyMap<string, LocationLast[]> = new Map(),
) {
  const all = computed.value.workflows;
  const shown = all.filter((w) => (!q.priority || w.priority === q.priority) && (!q.tag || w.tags.includes(q.tag)));
  const pages = Math.max(1, Math.ceil(shown.length / q.size));
  const page = Math.min(q.page, pages);
  const tiles: OverviewTile[] = shown.slice((page - 1) * q.size, page * q.size);
  return {
    version: computed.value.version,
    total: all.length,
    matching: shown.length,
    page,
    pages,
    pageSize: q.size,
    tags: computed.tags,
    workflows: tiles.map((w) => {
      const where = locations.get(w.id) ?? [];
      return { ...w, beats: beats.get(w.id) ?? [], ...(where.length > 1 ? { locations: where } : {}) };
    }),
  };
}

/** The ids of the tiles a page shows. */
export function pageOf(computed: Computed, q: OverviewQuery): string[] {
  return overviewPage(computed, q, new Map()).workflows.map((w) => w.id);
}

export function overviewRoute(schedules: () => readonly ScheduleInfo[]) {
  let computed: Computed | null = null;
  let computing: { key: string; done: Promise<Computed> } | null = null;
  let bodies = new Map<string, Body>();
  const compute = (pool: DatabasePool, key: string, list: readonly ScheduleInfo[]) => {
    if (computing?.key === key) return computing.done;
    const done = overview(pool, list).then((value) => {
      const result = { key, value, tags: [...new Set(value.workflows.flatMap((w) => w.tags))].sort() };
      if (computing?.done === done) computing = null;
      computed = result;
      bodies = new Map();
      return result;
    });
    done.catch(() => {
      if (computing?.done === done) computing = null;
    });
    computing = { key, done };
    return done;
  };
  return async (req: IncomingMessage, url: URL, pool: DatabasePool): Promise<DashboardResponse> => {
    const list = schedules();
    const marker = await overviewMarker(pool);
    const key = `${marker.key}|${JSON.stringify(list)}`;
    const current = computed && computed.key === key && !marker.due ? computed : await compute(pool, key, list);
    const q = overviewQuery(url);
    const queryKey = `${q.page}\n${q.size}\n${q.priority}\n${q.tag}`;
    let body = current === computed ? bodies.get(queryKey) : undefined;
    if (!body) {
      const ids = pageOf(current, q);
      const [beats, locations] = await Promise.all([readOverviewBeats(pool, ids), readOverviewLocations(pool, ids)]);
      const text = JSON.stringify(overviewPage(current, q, beats, locations));
      body = { body: text, etag: `"${createHash('sha1').update(text).digest('base64url')}"` };
      if (current === computed) {
        if (bodies.size >= 64) bodies.clear(); // distinct queries are few; a crafted stream of them stays bounded
        bodies.set(queryKey, body);
      }
    }
    const headers = { ...securityHeaders, etag: body.etag, 'cache-control': 'no-cache' };
    if (req.headers['if-none-match'] === body.etag) return { status: 304, body: '', headers };
    return { contentType: 'application/json', body: body.body, headers };
  };
}
