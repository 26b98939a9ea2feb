// A node:test reporter: one line per test file, slowest first, with the time its tests ran (the
// sum of its top-level tests) and its process's whole time (loading, and waiting for a CPU slot
// in test/run.ts, included), and the whole run's wall time. `node test/run.ts --durations <file>` writes it next to the spec output;
// `node --test --test-reporter=./test/helpers/file-durations.ts ...` works on its own too.
type Event = {
  type: string;
  data: { name?: string; file?: string; nesting?: number; details?: { duration_ms?: number; passed?: boolean } };
};

export default async function* fileDurations(source: AsyncIterable<Event>): AsyncGenerator<string> {
  const started = Date.now();
  const files = new Map<string, { seconds: number; passed: boolean }>();
  const tests = new Map<string, number>();
  for await (const { type, data } of source) {
    if (type !== 'test:complete' || data.nesting !== 0 || !data.file || !data.name) continue;
    const seconds = (data.details?.duration_ms ?? 0) / 1000;
    // The runner closes each file with a top-level test:complete named after the file.
    if (data.file.endsWith(data.name)) files.set(data.file, { seconds, passed: data.details?.passed !== false });
    else tests.set(data.file, (tests.get(data.file) ?? 0) + seconds);
  }
  const rows = [...files]
    .map(([file, r]) => ({ file, ...r, tests: tests.get(file) ?? 0 }))
    .sort((a, b) => b.tests - a.tests);
  yield `${rows.length} files, wall ${((Date.now() - started) / 1000).toFixed(1)} s; per file: its tests, its whole process\n`;
  for (const r of rows)
    yield `${r.tests.toFixed(1).padStart(7)} s ${r.seconds.toFixed(1).padStart(7)} s ${r.passed ? 'ok  ' : 'FAIL'} ${r.file.replace(`${process.cwd()}/`, '')}\n`;
}
