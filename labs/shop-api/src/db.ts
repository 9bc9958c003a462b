// One connection pool per process. Every query that borrows a client gives it back.
import { Pool } from 'pg';
import { pgSettings, type Config } from './config';
import { debugEnabled, log } from './log';
import { addGauges } from './metrics';

export function createPool(config: Config): Pool {
  const pool = new Pool({
    ...pgSettings(config.databaseUrl, config.databasePassword),
    max: config.poolMax,
    // A request that cannot get a connection in time fails (503) instead of queueing for ever.
    connectionTimeoutMillis: config.poolTimeoutMs,
    idleTimeoutMillis: 10000,
    application_name: 'shop-api',
  });
  pool.on('error', (error) => log('error', 'idle database client failed', { error: error.message }));
  if (debugEnabled()) {
    pool.on('connect', () => log('debug', 'database connection opened', { total: pool.totalCount }));
  }
  addGauges(() => [
    { name: 'shop_db_pool_size', help: 'Database connections open (in use + idle).', value: pool.totalCount },
    { name: 'shop_db_pool_in_use', help: 'Database connections lent to requests.', value: pool.totalCount - pool.idleCount },
    { name: 'shop_db_pool_waiting', help: 'Requests waiting for a database connection.', value: pool.waitingCount },
    { name: 'shop_db_pool_max', help: 'The pool limit (PG_POOL_MAX).', value: config.poolMax },
  ]);
  return pool;
}

/** Logs each statement at debug level (a development aid: parameters included). */
export function traceQuery(text: string, values: unknown[] = []): void {
  if (debugEnabled()) log('debug', 'query', { sql: text.replace(/\s+/g, ' ').trim(), params: values });
}
