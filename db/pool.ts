// The slonik pool every process uses. Row schemas given with `sql.type(schema)` are enforced by
// the result-parser interceptor (slonik only carries them; without it they are unchecked).
import { createPool, SchemaValidationError, type DatabasePool, type Interceptor, type QueryResultRow } from 'slonik';

export type { DatabasePool } from 'slonik';
/** The pool type other folders name. */
export type DbPool = DatabasePool;

export type DbPoolOptions = {
  maxPoolSize?: number;
  /** Server-side bound on every statement. */
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
  idleTimeoutMs?: number;
  connectionRetryLimit?: number;
};

/** The slonik README's result parser interceptor, for Standard Schema (zod 4). */
export const resultParserInterceptor: Interceptor = {
  name: 'result-parser',
  transformRow(context, query, row) {
    const parser = context.resultParser;
    if (!parser) return row;
    const result = parser['~standard'].validate(row);
    if (result instanceof Promise) throw new TypeError('asynchronous row schemas are not supported');
    if (result.issues) throw new SchemaValidationError(query, row, result.issues);
    return result.value as QueryResultRow;
  },
};

// Plain JS values instead of slonik's defaults (bigint for int8, epoch numbers for timestamps):
// counts fit in a double and the shared record types use Date.
const typeParsers = [
  { name: 'int8', parse: (value: string) => Number.parseInt(value, 10) },
  { name: 'numeric', parse: (value: string) => Number.parseFloat(value) },
  { name: 'float8', parse: (value: string) => Number.parseFloat(value) },
  { name: 'timestamptz', parse: (value: string) => new Date(value) },
  { name: 'date', parse: (value: string) => value },
];

export async function createDbPool(url: string, options: DbPoolOptions = {}): Promise<DatabasePool> {
  return createPool(url, {
    interceptors: [resultParserInterceptor],
    typeParsers,
    maxPoolSize: options.maxPoolSize ?? 10,
    statementTimeout: options.statementTimeoutMs ?? 30_000,
    connectionTimeout: options.connectionTimeoutMs ?? 5_000,
    idleTimeout: options.idleTimeoutMs ?? 10_000,
    idleInTransactionSessionTimeout: 60_000,
    gracefulTerminationTimeout: 5_000,
    connectionRetryLimit: options.connectionRetryLimit ?? 3,
    captureStackTrace: false,
  });
}

/** Opens a pool for one piece of work and always closes it. */
export async function withDatabase<T>(url: string, fn: (pool: DatabasePool) => Promise<T>, options?: DbPoolOptions): Promise<T> {
  const pool = await createDbPool(url, options);
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}
