// Run-time fault control for tests and demos: GET/PUT/POST /__demo/faults behind a bearer
// token, so a monitor pointed at a shared demo app cannot be sabotaged by anyone who finds it.
import { timingSafeEqual } from 'node:crypto';
import { parseFaults } from './faults.ts';
import { readJson, sendJson } from './http.ts';
import { parseVariant } from './variant.ts';
import type { RequestContext, Route } from './router.ts';

function authorized(ctx: RequestContext): boolean {
  const header = ctx.req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(ctx.app.adminToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function refuse(ctx: RequestContext): void {
  sendJson(
    ctx.res,
    401,
    { error: 'Missing or wrong admin token: send Authorization: Bearer <DEMO_ADMIN_TOKEN>' },
    { 'www-authenticate': 'Bearer realm="demo-app"' },
  );
}

async function faults(ctx: RequestContext): Promise<void> {
  if (!authorized(ctx)) {
    refuse(ctx);
    return;
  }
  if (ctx.req.method === 'GET' || ctx.req.method === 'HEAD') {
    sendJson(ctx.res, 200, { faults: ctx.app.faults.list() });
    return;
  }
  const body = await readJson(ctx.req);
  const spec = typeof body === 'object' && body !== null && 'faults' in body ? body.faults : undefined;
  const valid = typeof spec === 'string' || (Array.isArray(spec) && spec.every((s) => typeof s === 'string'));
  if (!valid) {
    sendJson(ctx.res, 400, {
      error:
        'Send JSON {"faults": "name,name:arg"} or {"faults": ["name", "name:arg"]}; an empty list clears all faults',
    });
    return;
  }
  const parsed = parseFaults(spec as string | string[]);
  if (!parsed.ok) {
    sendJson(ctx.res, 400, { error: parsed.problems.join('; '), problems: parsed.problems });
    return;
  }
  ctx.app.faults.replace(parsed.faults);
  sendJson(ctx.res, 200, { faults: ctx.app.faults.list() });
}

/** The face of every page (variant.ts): GET shows it, PUT/POST {"variant": "alternate"} switches it. */
async function variant(ctx: RequestContext): Promise<void> {
  if (!authorized(ctx)) {
    refuse(ctx);
    return;
  }
  if (ctx.req.method !== 'GET' && ctx.req.method !== 'HEAD') {
    const body = await readJson(ctx.req);
    const name = typeof body === 'object' && body !== null && 'variant' in body ? body.variant : undefined;
    const parsed =
      typeof name === 'string'
        ? parseVariant(name)
        : { problem: 'Send JSON {"variant": "standard"} or {"variant": "alternate"}' };
    if (typeof parsed !== 'string') {
      sendJson(ctx.res, 400, { error: parsed.problem });
      return;
    }
    ctx.app.variant = parsed;
  }
  sendJson(ctx.res, 200, { variant: ctx.app.variant });
}

export const adminRoutes: Route[] = [
  { methods: ['GET', 'PUT', 'POST'], path: '/__demo/faults', kind: 'admin', handler: faults },
  { methods: ['GET', 'PUT', 'POST'], path: '/__demo/variant', kind: 'admin', handler: variant },
];
