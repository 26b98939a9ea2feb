// What PostgreSQL can store: text without U+0000 and without lone UTF-16 surrogates (text and
// jsonb reject both), and payloads of bounded size. Every value crossing into db/ from outside
// (the target's health JSON, error messages, step titles, alert texts) goes through here.

/** Stands in for a character PostgreSQL cannot store (NUL, a lone surrogate). */
export const replacementMarker = '\uFFFD';
/** Bound on one stored JSON payload (health body, raw metrics), in UTF-8 bytes. */
export const maxPayloadBytes = 64 * 1024;
/** How much of an over-sized payload's JSON text is kept as a preview. */
const previewChars = 2048;

// A NUL or a lone surrogate: with the u flag a well-formed pair is one code point and never matches.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this finds
const unstorable = /[\u0000\uD800-\uDFFF]/gu;
// eslint-disable-next-line no-control-regex -- as above
const unstorableTest = /[\u0000\uD800-\uDFFF]/u;

export function storableText(text: string): string;
export function storableText(text: string | null): string | null;
export function storableText(text: string | null): string | null {
  if (text === null || !unstorableTest.test(text)) return text;
  return text.replace(unstorable, replacementMarker);
}

/** A deep copy with every string (keys too) made storable; non-finite numbers become null. */
export function storableJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value !== 'object') return value ?? null;
  if (depth > 64) return '[nested too deep]';
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => storableJson(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[storableText(k)] = storableJson(v, depth + 1);
  return out;
}

export type TruncatedPayload = { truncated: string; originalBytes: number; preview: string };

/**
 * The payload itself when its JSON fits in `maxBytes`, otherwise a marker object that says so
 * with the original size and the start of the JSON text. Always storable.
 */
export function cappedPayload(value: unknown, maxBytes = maxPayloadBytes): unknown {
  if (value === null || value === undefined) return null;
  const clean = storableJson(value);
  const text = JSON.stringify(clean) ?? 'null';
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return clean;
  const marker: TruncatedPayload = {
    truncated: `[payload of ${bytes} bytes not stored: over the ${maxBytes}-byte limit]`,
    originalBytes: bytes,
    preview: storableText(text.slice(0, previewChars).replace(/[\uD800-\uDBFF]$/, '')),
  };
  return marker;
}

/** Whether a string holds something PostgreSQL would refuse (for tests and diagnostics). */
export const isStorableText = (text: string): boolean => !unstorableTest.test(text);
