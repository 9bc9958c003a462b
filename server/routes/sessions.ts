/**
 * Sessions: create (202, the lab comes up in the background), list, describe, delete, and the
 * learner's actions — check, apply, rollback, reset, hint — which run to completion and answer
 * with the session as it then is (plus the report, for check).
 */
import { createRoute } from '@hono/zod-openapi';
import { normaliseLearner } from '../../engine/index.js';
import { createRouter, errorResponses, security } from '../router.js';
import {
  ActionResultSchema,
  CreatedSessionSchema,
  CreateSessionBody,
  DeletedSchema,
  links,
  SessionIdParams,
  SessionListSchema,
  SessionSchema,
  toReportBody,
} from '../schemas.js';
import { ACTIONS, type Action } from '../sessions.js';

const ACTION_SUMMARIES: Record<Action, string> = {
  check: 'Run the scenario checks against the running lab',
  apply: 'Redeploy from the workspace files (`docker compose up --build`)',
  rollback: 'Return to the previous release',
  reset: 'Start the lab over: fresh workspace, faults re-injected',
  hint: 'Reveal the next unlocked hint',
};

export const createSessionRoute = createRoute({
  method: 'post',
  path: '/v1/sessions',
  summary: 'Start a lab',
  description:
    'Answers 202 once the engine has named the session; building, deploying and injecting continue in the background (follow `links.events`). Holds one lab slot until deleted.',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: CreateSessionBody } } } },
  responses: {
    202: {
      description: 'Starting; Location names the session.',
      content: { 'application/json': { schema: CreatedSessionSchema } },
    },
    ...errorResponses(400, 401, 404, 413, 415, 422, 429, 503),
  },
});

export function sessionRoutes() {
  const app = createRouter();

  app.openapi(createSessionRoute, async (c) => {
    const { scenario, seed, learner } = c.req.valid('json');
    const { registry } = c.var.services;
    registry.assertScenario(scenario);
    // One spelling per learner: "Ada  Lovelace " and "Ada Lovelace" are the same label.
    const entry = await registry.create(scenario, seed, c.var.adoptSlot(), learner && normaliseLearner(learner));
    const body = {
      id: entry.id,
      scenario: entry.scenario,
      seed: entry.seed,
      ...(entry.learner !== undefined ? { learner: entry.learner } : {}),
      state: entry.state,
      links: links(entry.id),
    };
    return c.json(body, 202, { Location: body.links.self });
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/sessions',
      summary: 'The sessions this server runs',
      security,
      responses: {
        200: { description: 'In creation order.', content: { 'application/json': { schema: SessionListSchema } } },
        ...errorResponses(401),
      },
    }),
    (c) => c.json({ sessions: c.var.services.registry.summaries(), max: c.var.services.capacity.max }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/sessions/{id}',
      summary: 'One session: state, services, hints, last report',
      security,
      request: { params: SessionIdParams },
      responses: {
        200: {
          description: 'The session view (what `breakfix status --json` shows).',
          content: { 'application/json': { schema: SessionSchema } },
        },
        ...errorResponses(400, 401, 404, 503),
      },
    }),
    async (c) => c.json(await c.var.services.registry.describe(c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/sessions/{id}',
      summary: 'Stop the lab, tear it down and remove its workspace',
      description:
        'Waits for an operation in progress (a lab still starting is stopped where it is), then stops the lab; nothing labelled with the session remains. Frees the lab slot.',
      security,
      request: { params: SessionIdParams },
      responses: {
        200: { description: 'Stopped and removed.', content: { 'application/json': { schema: DeletedSchema } } },
        ...errorResponses(400, 401, 404, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await c.var.services.registry.delete(id);
      return c.json({ id, state: 'stopped' as const }, 200);
    },
  );

  for (const action of Object.keys(ACTIONS) as Action[]) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/sessions/{id}/${action}`,
        summary: ACTION_SUMMARIES[action],
        description:
          'Runs to completion (a redeploy can take tens of seconds). 409 while another operation on the session runs, or when the session state does not allow it (e.g. stopped).',
        security,
        request: { params: SessionIdParams },
        responses: {
          200: {
            description: 'Done; the session as it now is.',
            content: { 'application/json': { schema: ActionResultSchema } },
          },
          ...errorResponses(400, 401, 404, 409, 422, 503),
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { registry } = c.var.services;
        const result = await registry.act(id, action);
        const session = await registry.describe(id);
        const report = action === 'check' ? result.report : undefined;
        return c.json({ session, ...(report ? { report: toReportBody(report) } : {}) }, 200);
      },
    );
  }

  return app;
}
