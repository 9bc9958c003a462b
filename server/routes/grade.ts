/**
 * `POST /v1/grade`: grade an uploaded workspace, as `breakfix grade` does.
 *
 * - `multipart/form-data`: fields `workspace` (the tar or tar.gz file), `scenario`, optional
 *   `seed` and `reporter`;
 * - or the raw archive as the body (`application/x-tar`, `application/gzip`,
 *   `application/octet-stream`) with `scenario`, `seed`, `reporter` in the query string.
 *
 * The answer is the report: JSON by default, JUnit XML / TAP / text by `Accept`
 * (application/xml, text/x-tap, text/plain) or by `reporter`. 200 whether or not the submission
 * passed — `X-Breakfix-Passed` and the report say which; 503 when grading could not run.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { loadReporters, normaliseLearner, REPORT_MEDIA_TYPES, type ReportFormat } from '../../engine/index.js';
import type { AppEnv } from '../context.js';
import { ApiError, badRequest } from '../errors.js';
import { createRouter, errorResponses, security } from '../router.js';
import { GradeFieldsSchema, GradeFormSchema, GradeResponseSchema, toReportBody } from '../schemas.js';
import { describeIssues } from '../middleware/error-mapping.js';

const RAW_TYPES = ['application/x-tar', 'application/gzip', 'application/x-gzip', 'application/octet-stream'];

/** The format asked for: `reporter` wins, then the first supported type in `Accept`, else JSON. */
export function negotiateFormat(accept: string | undefined, reporter: ReportFormat | undefined): ReportFormat {
  if (reporter) return reporter;
  const ranked = (accept ?? '')
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
      return { type: type.trim(), q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { type } of ranked) {
    if (type === 'application/json') return 'json';
    if (type === 'application/xml' || type === 'text/xml' || type === 'application/junit+xml') return 'junit';
    if (type === 'text/x-tap' || type === 'text/tap') return 'tap';
    if (type === 'text/plain') return 'text';
  }
  return 'json';
}

async function readUpload(
  c: Context<AppEnv>,
): Promise<{ fields: z.infer<typeof GradeFieldsSchema>; archive: Uint8Array }> {
  const contentType = (c.req.header('content-type') ?? '').toLowerCase();
  if (contentType.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody().catch(() => {
      throw badRequest('the multipart body cannot be parsed');
    });
    const parsed = GradeFormSchema.safeParse(form);
    if (!parsed.success)
      throw badRequest(
        `invalid form: ${describeIssues(parsed.error.issues)}`,
        'fields: workspace (file), scenario, seed?, reporter?',
      );
    const { workspace, ...fields } = parsed.data;
    return { fields, archive: new Uint8Array(await workspace.arrayBuffer()) };
  }
  if (RAW_TYPES.some((type) => contentType.startsWith(type))) {
    const parsed = GradeFieldsSchema.safeParse(c.req.query());
    if (!parsed.success)
      throw badRequest(
        `invalid query: ${describeIssues(parsed.error.issues)}`,
        'e.g. POST /v1/grade?scenario=wrong-port&seed=7',
      );
    return { fields: parsed.data, archive: new Uint8Array(await c.req.arrayBuffer()) };
  }
  throw new ApiError(
    415,
    'unsupported_media_type',
    `cannot grade a ${contentType || 'body without Content-Type'}`,
    'send multipart/form-data (field workspace) or the tar itself as application/x-tar',
  );
}

export function gradeRoutes() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/grade',
      summary: 'Grade an uploaded workspace',
      description:
        'Multipart (workspace file + scenario, seed?, reporter?, learner?) or a raw tar/tar.gz body with the fields in the query. The archive is unpacked safely (no absolute paths, no `..`, no links leaving it, size and entry caps) and graded from scratch like `breakfix grade`. Holds one lab slot while it runs.',
      security,
      request: {
        query: GradeFieldsSchema.partial(),
        body: {
          content: {
            'multipart/form-data': { schema: { $ref: '#/components/schemas/GradeUpload' } },
            'application/x-tar': { schema: { type: 'string', format: 'binary' } },
            'application/gzip': { schema: { type: 'string', format: 'binary' } },
          },
        },
      },
      responses: {
        200: {
          description: 'The report (whether or not the submission passed; see X-Breakfix-Passed).',
          headers: { 'X-Breakfix-Passed': { schema: { type: 'string', enum: ['true', 'false'] } } },
          content: {
            'application/json': { schema: GradeResponseSchema },
            'application/xml': { schema: z.string().openapi({ description: 'JUnit XML' }) },
            'text/x-tap': { schema: z.string().openapi({ description: 'TAP version 14' }) },
            'text/plain': { schema: z.string() },
          },
        },
        ...errorResponses(400, 401, 404, 413, 415, 429, 503),
      },
    }),
    async (c) => {
      const { grader, registry, dashboard } = c.var.services;
      const { fields, archive } = await readUpload(c);
      registry.assertScenario(fields.scenario);
      const started = performance.now();
      const learner = fields.learner && normaliseLearner(fields.learner);
      const received = { learner: learner ?? null, scenario: fields.scenario };
      let result;
      try {
        result = await grader.grade({
          scenario: fields.scenario,
          archive,
          ...(fields.seed !== undefined ? { seed: Number(fields.seed) } : {}),
          ...(learner ? { learner } : {}),
          signal: c.req.raw.signal,
        });
      } catch (error) {
        // The dashboard lists gradings that could not run too; a bad upload (4xx) is not a grading.
        if (!(error instanceof ApiError && error.status < 500))
          dashboard.feed.graded({
            ...received,
            outcome: 'error',
            score: null,
            maxScore: null,
            durationMs: Math.round(performance.now() - started),
            message: error instanceof Error ? error.message : String(error),
          });
        throw error;
      }
      dashboard.feed.graded({
        ...received,
        outcome: result.report.passed ? 'passed' : 'failed',
        score: result.report.score,
        maxScore: result.report.maxScore,
        durationMs: Math.round(performance.now() - started),
        message: null,
      });
      const format = negotiateFormat(c.req.header('accept'), fields.reporter);
      const passed = String(result.report.passed);
      if (format === 'json')
        return c.json({ ...toReportBody(result.report), dropped: result.dropped }, 200, {
          'X-Breakfix-Passed': passed,
        });
      const { renderReport } = await loadReporters();
      return c.body(renderReport(result.report, format, { color: false }), 200, {
        'Content-Type': REPORT_MEDIA_TYPES[format],
        'X-Breakfix-Passed': passed,
      });
    },
  );
  return app;
}
