// The daemon's Node flags, for every launcher that starts it (bin/start.ts, the test harness;
// package.json's monitor:daemon, ecosystem.config.cjs, the Dockerfile and the systemd unit spell
// the same flag). --max-semi-space-size=2 keeps V8's young generation at 2 MB semi-spaces instead
// of growing it to 16 MB: a long-lived process that mostly waits makes its garbage in bursts (a
// slot of 1,000 workflows), and with the default young generation those bursts grew the heap and
// its resident memory by over 100 MB that was not given back (bench/daemon-memory measures both).
// V8 reads it only at start, so it cannot be set from inside the daemon.
// --import=./scheduler/compile-cache.mjs (relative to the working directory, the repository, as
// every launcher runs it) turns on Node's compile cache before the first .ts module loads: once
// warm (the first start writes it), Node's TypeScript stripper is never loaded into the daemon,
// about 20 MB of resident memory (compile-cache.mjs says more).
export const daemonNodeArgs: readonly string[] = ['--max-semi-space-size=2', '--import=./scheduler/compile-cache.mjs'];
