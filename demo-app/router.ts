// The route table and the per-request context every handler receives. A route's kind
// decides how faults apply: only `page` GETs count towards the flaky fault.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultSwitchboard } from './faults.ts';
import type { Session, Store, User } from './store.ts';
import type { Variant } from './variant.ts';

export type RouteKind = 'page' | 'form' | 'api' | 'asset' | 'admin';
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface AppState {
  store: Store;
  faults: FaultSwitchboard;
  adminToken: string;
  startedAt: number;
  /** The face every page is rendered with; changed at run time by /__demo/variant. */
  variant: Variant;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  app: AppState;
  session: Session | undefined;
  user: User | undefined;
}

export type Handler = (ctx: RequestContext) => void | Promise<void>;

export interface Route {
  methods: readonly Method[];
  /** `/products/:slug` style; a segment starting with `:` captures one path segment. */
  path: string;
  kind: RouteKind;
  handler: Handler;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): RouteMatch | { methodNotAllowed: true } | undefined {
  const segments = pathname.split('/').filter(Boolean);
  let pathMatched = false;
  for (const route of routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((part, i) => {
      const seg = segments[i] ?? '';
      if (part.startsWith(':')) {
        try {
          params[part.slice(1)] = decodeURIComponent(seg);
        } catch {
          return false;
        }
        return true;
      }
      return part === seg;
    });
    if (!ok) continue;
    pathMatched = true;
    const wanted = method === 'HEAD' ? 'GET' : method;
    if ((route.methods as readonly string[]).includes(wanted)) return { route, params };
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
}
