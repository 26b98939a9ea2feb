// A node:test reporter: one line per test file, slowest first, with its wall time, and the
// whole run's wall time. `node test/run.ts --durations <file>` writes it next to the spec output;
// `node --test --test-reporter=./test/helpers/file-durations.ts ...` works on its own too.
type Event = {
  type: string;
  data: { name?: string; file?: string; nesting?: number; details?: { duration_ms?: number; passed?: boolean } };
};

export default async function* fileDurations(source: AsyncIterable<Event>): AsyncGenerator<string> {
  const started = Date.now();
  const files = new Map<string, { seconds: number; passed: boolean }>();
  for await (const { type, data } of source) {
    // The runner closes each file with a top-level test:complete named after the file.
    if (type !== 'test:complete' || data.nesting !== 0 || !data.file || !data.name) continue;
    if (!data.file.endsWith(data.name)) continue;
    files.set(data.file, { seconds: (data.details?.duration_ms ?? 0) / 1000, passed: data.details?.passed !== false });
  }
  const rows = [...files].sort((a, b) => b[1].seconds - a[1].seconds);
  yield `${rows.length} files, wall ${((Date.now() - started) / 1000).toFixed(1)} s\n`;
  for (const [file, r] of rows)
    yield `${r.seconds.toFixed(1).padStart(7)} s ${r.passed ? 'ok  ' : 'FAIL'} ${file.replace(`${process.cwd()}/`, '')}\n`;
}
