/** `GET /healthz`: liveness, the one route without a token. */
import { createRoute } from '@hono/zod-openapi';
import { createRouter } from '../router.js';
import { HealthSchema } from '../schemas.js';

export const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness (no token needed)',
  responses: { 200: { description: 'The server answers.', content: { 'application/json': { schema: HealthSchema } } } },
});

export function healthRoutes() {
  const app = createRouter();
  app.openapi(healthRoute, (c) => c.json({ ok: true as const, version: c.var.services.version }, 200));
  return app;
}
