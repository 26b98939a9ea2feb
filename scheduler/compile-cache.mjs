// Preloaded by every launcher of the daemon (`--import=./scheduler/compile-cache.mjs`, node-args.ts),
// before the first .ts module: Node's compile cache (`module.enableCompileCache`, in
// NODE_COMPILE_CACHE when set, else node_modules/.cache/node-compile-cache of this checkout, owned
// by whoever installed it, rather than Node's default in the shared os.tmpdir(); where it cannot be
// written Node just does without) keeps each module's
// type-stripped source and V8 code cache on disk, keyed by the file and a hash of its source (an
// edited file is stripped again). With the cache warm, Node never loads its TypeScript stripper
// (amaro, a WebAssembly build of swc: about 20 MB resident that stays for the process's life) into
// the daemon. Plain JavaScript, because a .ts preload would load the stripper itself.
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';

// With NODE_COMPILE_CACHE set, Node has enabled the cache in that folder before this runs, and this
// call leaves it there.
enableCompileCache(join(import.meta.dirname, '..', 'node_modules', '.cache', 'node-compile-cache'));
