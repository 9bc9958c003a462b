/**
 * Builds the HTTP API: services, middleware, route modules, `/openapi.json`. Nothing here
 * listens on a socket (server/serve.ts does), so tests drive the app with `app.request`.
 *
 * Middleware, outermost first:
 *   services      the instance's services on the context
 *   request-log   one JSON line per request, HTTP metrics, in-flight count
 *   closing       503 once shutdown began
 *   auth          bearer token on everything but GET /healthz and the dashboard (/dashboard…),
 *                 which signs in with the same token once and then uses a cookie (routes/dashboard.ts)
 *   body limits   JSON bodies, workspace files, grade uploads (413)
 *   cap           lab slots for POST /v1/sessions and POST /v1/grade (429)
 * Errors from anywhere become `{error: {code, message, hint?}}` (middleware/error-mapping.ts).
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MiddlewareHandler } from 'hono';
import { except } from 'hono/combine';
import { Capacity } from './capacity.js';
import { DashboardFeed } from './dashboard/feed.js';
import { DEFAULT_LIMITS, InflightTracker, type AppEnv, type Limits, type Services } from './context.js';
import type { ServerEngine } from './engine.js';
import { Grader } from './grader.js';
import { createServerMetrics } from './metrics.js';
import { bearerAuth } from './middleware/auth.js';
import { dashboardAuth, DASHBOARD_PATH } from './middleware/dashboard-auth.js';
import { limitBody } from './middleware/body-limit.js';
import { concurrencyCap } from './middleware/concurrency-cap.js';
import { onError, onNotFound } from './middleware/error-mapping.js';
import { refuseWhenClosing, requestLog } from './middleware/request-log.js';
import { createRouter } from './router.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { eventRoutes } from './routes/events.js';
import { fileRoutes } from './routes/files.js';
import { gradeRoutes } from './routes/grade.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { scenarioRoutes } from './routes/scenarios.js';
import { sessionRoutes } from './routes/sessions.js';
import { GradeFormSchema } from './schemas.js';
import { SessionRegistry } from './sessions.js';

export interface AppOptions {
  engine: ServerEngine;
  /** The bearer token every route but GET /healthz requires. */
  token: string;
  /** Server-owned workspaces live in `<dataDir>/sessions/`, grading uploads in `<dataDir>/grades/`. */
  dataDir?: string;
  /** Labs at once: live sessions plus gradings in progress (default 10). */
  maxSessions?: number;
  limits?: Partial<Limits>;
  version?: string;
  heartbeatMs?: number;
  /** Where request log lines and operational messages go (default: stdout). */
  writeLog?: (line: string) => void;
  /** Aborting it begins shutdown: SSE streams end, new requests get 503. */
  closing?: AbortSignal;
  /** Export Node's process metrics on /metrics too (a real server process; not in tests). */
  processMetrics?: boolean;
}

export const DEFAULT_MAX_SESSIONS = 10;

export function createApp(options: AppOptions) {
  const writeLog = options.writeLog ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const log = (message: string, fields: Record<string, unknown> = {}) =>
    writeLog(JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg: message, ...fields }));
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const dataDir = options.dataDir ?? path.join(tmpdir(), 'breakfix-serve');
  const capacity = new Capacity(options.maxSessions ?? DEFAULT_MAX_SESSIONS);
  const dashboard = { feed: new DashboardFeed(), auth: dashboardAuth(options.token), viewers: 0 };
  // The registry reports checks to the metrics, and the metrics read sessions from the registry.
  const metrics = createServerMetrics({
    sessionsByState: () => {
      const byState = new Map<string, number>();
      // Called on a scrape, after `registry` below exists.
      for (const entry of registry.entries()) byState.set(entry.state, (byState.get(entry.state) ?? 0) + 1);
      return byState;
    },
    capacity: () => ({ max: capacity.max, inUse: capacity.inUse }),
    dashboardViewers: () => dashboard.viewers,
    deploys: () => options.engine.deployQueue?.(),
    ...(options.processMetrics ? { processMetrics: true } : {}),
  });
  const registry: SessionRegistry = new SessionRegistry({
    engine: options.engine,
    capacity,
    dataDir,
    log,
    onAdded: (entry) => dashboard.feed.track(entry),
    onReport: (report) => {
      for (const check of report.checks)
        metrics.checkDuration.observe({ type: check.type, status: check.status }, check.durationMs / 1000);
    },
  });
  const grader = new Grader(options.engine, dataDir, metrics, {
    maxBytes: limits.unpackedBytes,
    maxEntries: limits.archiveEntries,
  });
  const services: Services = {
    engine: options.engine,
    registry,
    grader,
    capacity,
    metrics,
    limits,
    version: options.version ?? '0.0.0',
    heartbeatMs: options.heartbeatMs ?? 15_000,
    closing: options.closing ?? new AbortController().signal,
    inflight: new InflightTracker(),
    log,
    dashboard,
  };

  const app = createRouter();
  const provide: MiddlewareHandler<AppEnv> = async (c, next) => {
    c.set('services', services);
    await next();
  };
  app.use('*', provide);
  app.use('*', requestLog(writeLog));
  app.use('*', refuseWhenClosing());
  const isDashboard = (c: { req: { path: string } }) =>
    c.req.path === DASHBOARD_PATH || c.req.path.startsWith(`${DASHBOARD_PATH}/`);
  app.use('*', except(isDashboard, bearerAuth(options.token, [{ method: 'GET', path: '/healthz' }])));
  // Body limits: the grade upload and workspace files have their own; every other body is small JSON.
  const uploadLimit = limitBody(
    limits.uploadBytes,
    'the upload',
    'grade a smaller workspace (leave out node_modules, build output, .git)',
  );
  const fileLimit = limitBody(limits.fileBytes, 'the file');
  const jsonLimit = limitBody(limits.jsonBytes, 'the request body');
  app.use('*', async (c, next) => {
    if (c.req.path === '/v1/grade') return uploadLimit(c, next);
    if (/^\/v1\/sessions\/[^/]+\/files\//.test(c.req.path)) return fileLimit(c, next);
    return jsonLimit(c, next);
  });
  app.on('POST', '/v1/sessions', concurrencyCap(capacity, 'session'));
  app.on('POST', '/v1/grade', concurrencyCap(capacity, 'grade'));

  app.route('/', healthRoutes());
  app.route('/', scenarioRoutes());
  app.route('/', sessionRoutes());
  app.route('/', fileRoutes());
  app.route('/', eventRoutes());
  app.route('/', gradeRoutes());
  app.route('/', metricsRoutes());
  app.route('/', dashboardRoutes());

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'The token from BREAKFIX_TOKEN, or the one `breakfix serve` printed at start.',
  });
  app.openAPIRegistry.register('GradeUpload', GradeFormSchema);
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'breakfix HTTP API',
      version: services.version,
      description:
        'Start break/fix labs, fix them through their workspace files, check and grade them. Every route but GET /healthz needs `Authorization: Bearer <token>`. See docs/http-api.md.',
    },
  });

  app.onError(onError(log));
  app.notFound(onNotFound);
  return { app, services };
}

export type BreakfixApp = ReturnType<typeof createApp>['app'];
