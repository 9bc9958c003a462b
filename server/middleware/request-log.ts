/**
 * One JSON line per request — time, method, path, matched route, status, duration — and the
 * HTTP metrics. Only the path is logged: never headers (the token), never the query string.
 * Also counts requests in flight (SSE streams excluded) so shutdown can wait for them.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../context.js';
import { ApiError } from '../errors.js';

export function requestLog(write: (line: string) => void): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { metrics, inflight } = c.var.services;
    const started = performance.now();
    const leave = inflight.enter();
    try {
      await next();
    } finally {
      const status = c.res.status;
      const stream = (c.res.headers.get('content-type') ?? '').startsWith('text/event-stream');
      leave();
      const matched = routePath(c, -1);
      const route = !matched || matched === '*' || matched === '/*' ? 'unmatched' : matched;
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      write(
        JSON.stringify({
          time: new Date().toISOString(),
          level: status >= 500 ? 'error' : 'info',
          msg: 'request',
          method: c.req.method,
          path: c.req.path,
          route,
          status,
          durationMs,
        }),
      );
      metrics.httpRequests.inc({ method: c.req.method, route, status: String(status) });
      if (!stream) metrics.httpDuration.observe({ method: c.req.method, route }, durationMs / 1000);
    }
  };
}

/** Once shutdown has begun, requests that still arrive on open connections get 503. */
export function refuseWhenClosing(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.var.services.closing.aborted)
      throw new ApiError(503, 'unavailable', 'the server is shutting down', 'try again once it is back');
    await next();
  };
}
