import { readFileSync } from 'fs';
import path from 'path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Pool } from 'pg';
import type { Cache } from './cache';
import type { Config } from './config';
import { log } from './log';
import { addGauges, httpDuration, httpRequests, renderMetrics } from './metrics';
import { adminRouter } from './routes/admin';
import { ordersRouter } from './routes/orders';
import { productsRouter } from './routes/products';
import { reportsRouter } from './routes/reports';

export interface BuildInfo {
  version: string;
  revision: string;
  builtAt: string;
}

/** Written by the image's build stage next to the compiled code. */
export function readBuildInfo(): BuildInfo {
  try {
    return JSON.parse(readFileSync(path.join(__dirname, 'build-info.json'), 'utf8')) as BuildInfo;
  } catch {
    return { version: 'unknown', revision: 'unknown', builtAt: 'unknown' };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createApp(config: Config, pool: Pool, cache: Cache, state: { shuttingDown: boolean }) {
  const app = express();
  const build = readBuildInfo();
  app.set('env', config.nodeEnv);
  app.disable('x-powered-by');
  addGauges(() => {
    const heap = process.memoryUsage();
    const v8 = require('v8') as typeof import('v8');
    return [
      { name: 'nodejs_heap_used_bytes', help: 'V8 heap in use.', value: heap.heapUsed },
      { name: 'nodejs_heap_total_bytes', help: 'V8 heap reserved.', value: heap.heapTotal },
      { name: 'nodejs_heap_size_limit_bytes', help: 'V8 heap limit.', value: v8.getHeapStatistics().heap_size_limit },
      { name: 'process_resident_memory_bytes', help: 'Resident set size.', value: heap.rss },
      { name: 'shop_build_info', help: 'The running build.', value: 1, labels: { version: build.version, revision: build.revision } },
    ];
  });

  // One log line and one sample per request, with the route as written (not the raw path).
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = req.route ? `${req.baseUrl}${req.route.path as string}` : 'unmatched';
      httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      httpDuration.observe({ method: req.method, route }, seconds);
      log('info', 'request', { method: req.method, path: req.originalUrl, status: res.statusCode, duration_ms: Math.round(seconds * 10000) / 10 });
    });
    if (state.shuttingDown) res.set('Connection', 'close');
    next();
  });
  app.use(express.json({ limit: '16kb' }));

  app.get('/health', async (_req, res) => {
    const [database, cacheUp] = await Promise.all([
      withTimeout(pool.query('SELECT count(*)::int AS products FROM products'), 2000, 'the database').then(
        () => ({ database: 'up', schema: 'ok' }),
        (error: Error & { code?: string }) =>
          error.code === '42P01' ? { database: 'up', schema: 'missing', error: error.message } : { database: 'down', error: error.message },
      ),
      cache.ping(),
    ]);
    const healthy = database.database === 'up' && database.schema === 'ok';
    res.status(healthy ? 200 : 503).json({
      status: !healthy ? 'unhealthy' : cacheUp ? 'ok' : 'degraded',
      ...database,
      cache: cacheUp ? 'up' : 'down',
      version: build.version,
    });
  });
  app.get('/ready', (_req, res) => {
    res.status(state.shuttingDown ? 503 : 200).json({ ready: !state.shuttingDown });
  });
  app.get('/version', (_req, res) => res.json({ ...build, node: process.version }));
  app.get('/metrics', (_req, res) => res.type('text/plain; version=0.0.4').send(renderMetrics()));

  app.use('/products', productsRouter(pool, cache));
  app.use('/orders', ordersRouter(pool, config.dataDir));
  app.use('/reports', reportsRouter(pool));
  app.use('/admin', adminRouter(pool, config.adminApiKey));
  app.use((req, res) => {
    res.status(404).json({ error: 'not found', path: req.path });
  });

  // express-generator's error handler: details (and the stack) only in development.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  app.use((error: Error & { status?: number; code?: string }, req: Request, res: Response, _next: NextFunction) => {
    const poolTimeout = /timeout exceeded when trying to connect/i.test(error.message);
    const status = error.status ?? (poolTimeout ? 503 : 500);
    if (status >= 500) log('error', 'request failed', { path: req.originalUrl, error: error.message, code: error.code });
    const development = req.app.get('env') === 'development';
    res.status(status).json({
      error: status >= 500 ? (poolTimeout ? 'database busy' : 'internal error') : error.message,
      ...(development ? { detail: error.message, stack: error.stack } : {}),
    });
  });
  return app;
}
