// A plain-text table of delivery results for terminals (test:notifications, the daemon's
// start-up check). Everything in a DeliveryResult is already redacted.
import type { DeliveryResult } from './delivery/deliver.ts';

const resultWords: Record<DeliveryResult['outcome'], string> = {
  sent: 'ok',
  failed: 'FAILED',
  throttled: 'THROTTLED',
  skipped: 'skipped',
};

export function formatResultsTable(results: readonly DeliveryResult[]): string {
  const rows = [
    ['channel', 'result', 'status', 'attempts', 'ms', 'target / error'],
    ...results.map((r) => [
      r.channel,
      r.dead ? 'DEAD' : resultWords[r.outcome],
      r.statusCode === null ? '-' : String(r.statusCode),
      String(r.attempts),
      String(r.latencyMs),
      r.error ? `${r.target}: ${r.error}` : r.target,
    ]),
  ];
  const widths = rows[0]?.map((_, i) => (i === 5 ? 0 : Math.max(...rows.map((row) => row[i]?.length ?? 0)))) ?? [];
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  // The CLI's one table style: a header, a line of dashes, columns two spaces apart.
  const dashes = rows[0]!.map((h, i) =>
    '-'.repeat(i === 5 ? Math.max(h.length, ...rows.map((row) => row[5]?.length ?? 0)) : (widths[i] ?? 0)),
  );
  return [line(rows[0]!), line(dashes), ...rows.slice(1).map(line)].join('\n');
}
