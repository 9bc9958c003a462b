/** `GET /v1/scenarios`: what `breakfix list` shows. */
import { createRoute } from '@hono/zod-openapi';
import { createRouter, errorResponses, security } from '../router.js';
import { ScenarioListSchema } from '../schemas.js';

export function scenarioRoutes() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/scenarios',
      summary: 'The scenarios this server can run',
      security,
      responses: {
        200: {
          description: 'Sorted by difficulty, then id.',
          content: { 'application/json': { schema: ScenarioListSchema } },
        },
        ...errorResponses(401),
      },
    }),
    (c) => c.json({ scenarios: c.var.services.engine.listScenarios() }, 200),
  );
  return app;
}
