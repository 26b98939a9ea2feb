// Static files from demo-app/public, read once at start: a handful of small files, and the
// demo must not depend on the working directory it was started from.
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { RequestContext, Route } from './router.ts';

const contentTypes: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const publicDir = join(import.meta.dirname, 'public');

interface Asset {
  body: Buffer;
  type: string;
}

function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(publicDir)) {
    const type = contentTypes[extname(name)];
    if (type) assets.set(name, { body: readFileSync(join(publicDir, name)), type });
  }
  return assets;
}

export function assetRoutes(): Route[] {
  const assets = loadAssets();
  const serve = (ctx: RequestContext, name: string): void => {
    const asset = assets.get(name);
    if (!asset) {
      ctx.res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      ctx.res.end('Not found');
      return;
    }
    ctx.res.writeHead(200, {
      'content-type': asset.type,
      'content-length': asset.body.length,
      'cache-control': 'public, max-age=300',
    });
    ctx.res.end(ctx.req.method === 'HEAD' ? undefined : asset.body);
  };
  return [
    { methods: ['GET'], path: '/assets/:name', kind: 'asset', handler: (ctx) => serve(ctx, ctx.params.name ?? '') },
    { methods: ['GET'], path: '/favicon.ico', kind: 'asset', handler: (ctx) => serve(ctx, 'favicon.svg') },
  ];
}
