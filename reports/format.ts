// Number formats of the reports' text (Markdown, recommendations, the CLI). Fixed to en-US and
// UTC so a report reads the same wherever it is generated and tests can compare text.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1905.25 -> "1,905 ms" */
export function ms(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '-'
    : `${integer.format(Math.round(value))} ms`;
}

/** 0.925 -> "92.5%" */
export function pct(share: number | null | undefined): string {
  return share === null || share === undefined || !Number.isFinite(share) ? '-' : `${(share * 100).toFixed(1)}%`;
}

/** 0.12 -> "+12.0%", a relative change. */
export function signedPct(change: number | null | undefined): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return '-';
  const v = change * 100;
  return `${v > 0 ? '+' : v < 0 ? '-' : '±'}${Math.abs(v).toFixed(1)}%`;
}

/** -0.025 -> "-2.5 pp", a difference of shares. */
export function points(change: number | null | undefined): string {
  if (change === null || change === undefined || !Number.isFinite(change)) return '-';
  const v = change * 100;
  return `${v > 0 ? '+' : v < 0 ? '-' : '±'}${Math.abs(v).toFixed(1)} pp`;
}

/** "2026-11-14 10:00 UTC" */
export function utc(at: Date | string | null | undefined): string {
  if (at === null || at === undefined) return '-';
  const d = typeof at === 'string' ? new Date(at) : at;
  return Number.isNaN(d.getTime()) ? '-' : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function count(n: number): string {
  return integer.format(n);
}

/** Keeps a quoted error on one line and bounded. */
export function quote(text: string, max = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > max ? `${line.slice(0, max - 1)}…` : line}"`;
}
