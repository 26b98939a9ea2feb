// The slonik pool every process uses. Row schemas given with `sql.type(schema)` are enforced by
// the result-parser interceptor (slonik only carries them; without it they are unchecked).
// Every connection attempt and every query is bounded on the client side as well: a server that
// hangs (stopped, partitioned) answers nothing, so its own statement_timeout never fires.
import { createPgDriverFactory } from '@slonik/pg-driver';
import {
  createPool,
  SchemaValidationError,
  type DatabasePool,
  type DriverClient,
  type DriverFactory,
  type Interceptor,
  type QueryResultRow,
} from 'slonik';

export type { DatabasePool } from 'slonik';
/** The pool type other folders name. */
export type DbPool = DatabasePool;

export type DbPoolOptions = {
  maxPoolSize?: number;
  /** Server-side bound on every statement. */
  statementTimeoutMs?: number;
  /** Client-side bound on every query: past it the connection is dropped. Default statement timeout + 5 s. */
  queryTimeoutMs?: number;
  connectionTimeoutMs?: number;
  idleTimeoutMs?: number;
  connectionRetryLimit?: number;
};

/** No answer from PostgreSQL within the client-side bound (a hung server, a lost network). */
export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError';
}

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

function within<T>(work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new QueryTimeoutError(`${what}: no answer from PostgreSQL within ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * slonik's pg driver, with a client-side bound on each query (pg's own query_timeout cannot be
 * set per pool through slonik). A query past the bound fails with QueryTimeoutError and its
 * connection is destroyed, so no later query queues behind it.
 */
function boundedDriver(queryTimeoutMs: number, connectTimeoutMs: number): DriverFactory {
  const base = createPgDriverFactory();
  return async (args) => {
    // Setting up reads the type oids over a connection of its own: bounded like any query.
    const driver = await within(base(args), connectTimeoutMs + queryTimeoutMs, 'setting up the connection');
    return {
      createClient: async () => {
        const client = await driver.createClient();
        const query: DriverClient['query'] = (text, values, options) =>
          within(client.query(text, values, options), queryTimeoutMs, 'query', () => {
            void client.destroy().catch(() => undefined);
          });
        return { ...client, query };
      },
    };
  };
}

export async function createDbPool(url: string, options: DbPoolOptions = {}): Promise<DatabasePool> {
  const statementTimeout = options.statementTimeoutMs ?? 30_000;
  const connectionTimeout = options.connectionTimeoutMs ?? 5_000;
  return createPool(url, {
    interceptors: [resultParserInterceptor],
    typeParsers,
    driverFactory: boundedDriver(options.queryTimeoutMs ?? statementTimeout + 5_000, connectionTimeout),
    maxPoolSize: options.maxPoolSize ?? 10,
    statementTimeout,
    connectionTimeout,
    idleTimeout: options.idleTimeoutMs ?? 10_000,
    idleInTransactionSessionTimeout: 60_000,
    gracefulTerminationTimeout: 5_000,
    connectionRetryLimit: options.connectionRetryLimit ?? 3,
    captureStackTrace: false,
  });
}

/** Opens a pool for one piece of work and always closes it. */
export async function withDatabase<T>(
  url: string,
  fn: (pool: DatabasePool) => Promise<T>,
  options?: DbPoolOptions,
): Promise<T> {
  const pool = await createDbPool(url, options);
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}
