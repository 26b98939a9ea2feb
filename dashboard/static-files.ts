// The dashboard's static files: the page (dashboard/public/), uPlot, and Playwright's trace viewer,
// read once at start-up and served behind the same token as the API.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { authorized, securityHeaders, unauthorized, type DashboardResponse, type RouteTable } from './http.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
/** The page's own scripts (dashboard/public/), in the order index.html loads them. */
const pageScripts = [
  'ui.js',
  'charts.js',
  'readable.js',
  'beats.js',
  'timeline.js',
  'overview.js',
  'workflow-view.js',
  'execution-view.js',
  'app.js',
];
const asset = (name: string) => readFileSync(path.join(here, 'public', name));
const require = createRequire(import.meta.url);
const uplotDir = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
/** Playwright's own trace viewer (the app behind `show-trace`), a static site with a service worker. */
const traceViewerDir = path.join(
  path.dirname(require.resolve('playwright-core/package.json')),
  'lib',
  'vite',
  'traceViewer',
);
const typeByExtension: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
};

/** Adds a GET route per static file (the page, its scripts and styles, uPlot, the trace viewer). */
export function addStaticRoutes(server: RouteTable, token: string | null): void {
  const files: Record<string, { type: string; body: Buffer }> = {
    '/': { type: 'text/html; charset=utf-8', body: asset('index.html') },
    ...Object.fromEntries(
      pageScripts.map((name) => [`/dashboard/${name}`, { type: 'text/javascript; charset=utf-8', body: asset(name) }]),
    ),
    '/dashboard/app.css': { type: 'text/css; charset=utf-8', body: asset('app.css') },
    '/dashboard/uplot.js': {
      type: 'text/javascript; charset=utf-8',
      body: readFileSync(path.join(uplotDir, 'uPlot.iife.min.js')),
    },
    '/dashboard/uplot.css': {
      type: 'text/css; charset=utf-8',
      body: readFileSync(path.join(uplotDir, 'uPlot.min.css')),
    },
  };
  // The trace viewer loads a trace from `?trace=<url>`: the failure view links it to /api/artifact.
  // Served without the dashboard's CSP (it needs workers and blob: URLs), behind the same token.
  for (const entry of readdirSync(traceViewerDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const route = `/trace-viewer/${path.relative(traceViewerDir, file).split(path.sep).join('/')}`;
    const type = typeByExtension[path.extname(file)] ?? 'application/octet-stream';
    const body = readFileSync(file);
    server.addRoute('GET', route, (req): DashboardResponse =>
      authorized(req, token)
        ? { contentType: type, body, headers: { 'x-content-type-options': 'nosniff', 'cache-control': 'max-age=3600' } }
        : unauthorized,
    );
  }
  for (const [route, file] of Object.entries(files)) {
    server.addRoute('GET', route, (req) =>
      authorized(req, token) ? { contentType: file.type, body: file.body, headers: securityHeaders } : unauthorized,
    );
  }
}
