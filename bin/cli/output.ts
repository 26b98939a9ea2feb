// Tables for people on a terminal, JSON for scripts (--json). Every table of the CLI looks the same:
// a header, a line of dashes, columns two spaces apart (reports/report-table.ts and
// notifiers/results-table.ts keep the same style).
export function printRows(rows: Record<string, unknown>[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('(nothing)\n');
    return;
  }
  const columns = Object.keys(rows[0]!);
  const text = (v: unknown) =>
    v === null || v === undefined
      ? '-'
      : v instanceof Date
        ? v.toISOString()
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(columns.map((c) => text(r[c])))}\n`);
}
