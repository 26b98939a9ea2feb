// Platforms reject (Slack, Teams, PagerDuty) or silently cut (Discord) what is too long, so
// every text is fitted before it leaves, with a visible marker saying something was cut.

/** Lengths are counted in UTF-16 code units: never fewer than the characters platforms count. */
export function truncationMarker(cut: number): string {
  return `… [truncated ${cut.toLocaleString('en-US')} chars]`;
}

function cutAt(text: string, end: number): string {
  let e = Math.max(0, Math.min(end, text.length));
  // Never leave half of a surrogate pair behind.
  if (e > 0 && e < text.length) {
    const code = text.charCodeAt(e - 1);
    if (code >= 0xd800 && code <= 0xdbff) e -= 1;
  }
  return text.slice(0, e);
}

/** `text` itself when it fits, else a prefix ending with the marker; never longer than `max`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let keep = max;
  // The marker's own length depends on how much is cut; two passes settle it.
  for (let i = 0; i < 3; i += 1) {
    const marker = truncationMarker(text.length - keep);
    if (marker.length >= max) return cutAt(text, max);
    keep = max - marker.length;
  }
  const head = cutAt(text, keep);
  const result = head + truncationMarker(text.length - head.length);
  return result.length <= max ? result : cutAt(text, max);
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Like `truncate`, for limits counted in UTF-8 bytes (Teams, PagerDuty). */
export function truncateBytes(text: string, maxBytes: number): string {
  if (byteLength(text) <= maxBytes) return text;
  let max = Math.min(text.length, maxBytes);
  let result = truncate(text, max);
  while (byteLength(result) > maxBytes && max > 0) {
    max = Math.max(0, max - Math.ceil((byteLength(result) - maxBytes) / 2) - 1);
    result = truncate(text, max);
  }
  return result;
}

/**
 * Fits text that a channel escapes afterwards (Slack's &lt; and friends, HTML): escaping can
 * only lengthen text, so the raw budget shrinks until the escaped text fits.
 */
export function fitEscaped(text: string, max: number, escape: (s: string) => string): string {
  let budget = max;
  let result = escape(truncate(text, budget));
  while (result.length > max && budget > 0) {
    budget = Math.max(0, budget - (result.length - max));
    result = escape(truncate(text, budget));
  }
  return result;
}

/**
 * Splits `items` into consecutive groups, in order, each within `budget` (and `maxCount`
 * items). An item bigger than the budget gets a group of its own: callers fit items first.
 */
export function packInOrder<T>(
  items: readonly T[],
  cost: (item: T) => number,
  budget: number,
  maxCount = Infinity,
): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const item of items) {
    const c = cost(item);
    if (current.length > 0 && (used + c > budget || current.length >= maxCount)) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += c;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** "(2/3)" when an alert had to be split, nothing otherwise. */
export function partSuffix(index: number, count: number): string {
  return count > 1 ? ` (${index + 1}/${count})` : '';
}
