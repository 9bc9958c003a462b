/** `GET /metrics`: Prometheus text format. */
import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, errorResponses, security } from '../router.js';

export function metricsRoutes() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics',
      description:
        'breakfix_sessions{state}, breakfix_lab_slots{kind}, breakfix_check_duration_seconds (histogram), breakfix_grades_total{outcome}, breakfix_grade_duration_seconds, breakfix_http_requests_total{method,route,status}, breakfix_http_request_duration_seconds, breakfix_dashboard_viewers; from `breakfix serve` also Node process metrics (process_*, nodejs_*).',
      security,
      responses: {
        200: { description: 'Text exposition format 0.0.4.', content: { 'text/plain': { schema: z.string() } } },
        ...errorResponses(401),
      },
    }),
    async (c) => {
      const { registry } = c.var.services.metrics;
      return c.text(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
    },
  );
  return app;
}
