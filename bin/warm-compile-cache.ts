// `npm install`'s postinstall (and `node --import=./scheduler/compile-cache.mjs
// bin/warm-compile-cache.ts` by hand after an upgrade): loads every module the daemon may load,
// once, with Node's compile cache on (scheduler/compile-cache.mjs), and writes the cache. The
// daemon's first start then finds every module stripped already and never loads Node's
// TypeScript stripper, about 20 MB of resident memory for its whole life (scheduler/README.md,
// "A lean daemon"). Modules are only loaded, nothing is started; one that fails to load is passed
// over (the daemon will say why when it needs it). Never fails the install.
import { globSync } from 'node:fs';
import { flushCompileCache, getCompileCacheDir } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const folders = ['core', 'config', 'db', 'notifiers', 'reporters', 'reports', 'scheduler', 'dashboard', 'bin/cli'];
const files = globSync(
  folders.map((f) => `${f}/**/*.ts`),
  { cwd: root, exclude: (name: string) => /\.test\.ts$|(^|\/)testing(\/|$)/.test(name) },
).sort();
let loaded = 0;
for (const file of files) {
  try {
    await import(pathToFileURL(path.join(root, file)).href);
    loaded++;
  } catch {
    // passed over: see above
  }
}
flushCompileCache();
const dir = getCompileCacheDir();
process.stdout.write(
  dir
    ? `compile cache: ${loaded} of ${files.length} modules in ${path.relative(root, dir) || dir}\n`
    : 'compile cache: off (run with --import=./scheduler/compile-cache.mjs)\n',
);
process.exit(0);
