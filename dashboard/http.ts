// The dashboard's HTTP vocabulary: the response and route-table types it shares with the daemon's
// server, the security headers every page and API answer carries, the token check (Bearer, or
// Basic with the token as password, for browsers) and the artifacts-folder confinement.
import { timingSafeEqual } from 'node:crypto';
import { realpathSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';

export type DashboardResponse = {
  status?: number;
  contentType?: string;
  body: string | Buffer;
  headers?: Record<string, string>;
};
/** The part of the daemon's HTTP server the dashboard uses. */
export type RouteTable = {
  addRoute(
    method: string,
    path: string,
    handler: (req: IncomingMessage, url: URL) => Promise<DashboardResponse> | DashboardResponse,
  ): void;
};

export const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export const json = (value: unknown, status = 200): DashboardResponse => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(value),
  headers: securityHeaders,
});
export const problem = (status: number, message: string) => json({ error: message }, status);
/** Asks a browser for the token as a Basic password. */
export const unauthorized: DashboardResponse = {
  status: 401,
  contentType: 'text/plain',
  body: 'a token is required\n',
  headers: { 'www-authenticate': 'Basic realm="workflow-monitor"' },
};

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function authorized(req: IncomingMessage, token: string | null): boolean {
  if (!token) return true;
  const header = req.headers.authorization ?? '';
  const [scheme = '', value = ''] = header.split(' ', 2);
  if (scheme.toLowerCase() === 'bearer') return sameSecret(value, token);
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return sameSecret(decoded.slice(decoded.indexOf(':') + 1), token);
  }
  return false;
}

/** A stored path is served only when it resolves (symlinks included) inside the artifacts folder. */
export function insideFolder(file: string, folder: string): string | null {
  try {
    const root = realpathSync(folder);
    const real = realpathSync(path.resolve(folder, file));
    return real.startsWith(root + path.sep) ? real : null;
  } catch {
    return null;
  }
}
