// slonik wraps driver errors; the SQLSTATE lives on the original error.
export function pgErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

// Errors of the entry itself, met again however often it is retried: bad data (SQLSTATE class 22),
// a broken constraint (23), or a statement that could not even be built from it (an invalid date,
// a wrong shape). Anything else (connection refused, timeouts, a server shutting down) is the
// database's state, and the entry is worth retrying later.
const entryErrorNames = new Set(['InvalidInputError', 'TypeError', 'RangeError', 'SyntaxError']);

export function isEntryError(error: unknown): boolean {
  const code = pgErrorCode(error);
  if (code) return code.startsWith('22') || code.startsWith('23');
  if (error instanceof Error && error.name.endsWith('IntegrityConstraintViolationError')) return true;
  return error instanceof Error && entryErrorNames.has(error.name);
}
