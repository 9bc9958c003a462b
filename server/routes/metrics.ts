/** `GET /metrics`: Prometheus text format. */
import { createRoute, z } from '@hono/zod-openapi';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics.js';
import { createRouter, errorResponses, security } from '../router.js';

export function metricsRoutes() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics',
      description:
        'breakfix_sessions{state}, breakfix_lab_slots{kind}, breakfix_check_duration_seconds (histogram), breakfix_grades_total{outcome}, breakfix_grade_duration_seconds, breakfix_http_requests_total{method,route,status}, breakfix_http_request_duration_seconds.',
      security,
      responses: {
        200: { description: 'Text exposition format 0.0.4.', content: { 'text/plain': { schema: z.string() } } },
        ...errorResponses(401),
      },
    }),
    (c) => c.text(c.var.services.metrics.registry.render(), 200, { 'Content-Type': PROMETHEUS_CONTENT_TYPE }),
  );
  return app;
}
