// Preloaded by every launcher of the daemon (`--import=./scheduler/compile-cache.mjs`, node-args.ts),
// before the first .ts module: Node's compile cache (`module.enableCompileCache`, in
// NODE_COMPILE_CACHE when set, else os.tmpdir()/node-compile-cache) keeps each module's
// type-stripped source and V8 code cache on disk, keyed by the file and a hash of its source (an
// edited file is stripped again). With the cache warm, Node never loads its TypeScript stripper
// (amaro, a WebAssembly build of swc: about 20 MB resident that stays for the process's life) into
// the daemon. Plain JavaScript, because a .ts preload would load the stripper itself.
import { enableCompileCache } from 'node:module';

enableCompileCache();
