/**
 * The API's request and response shapes, in zod: the routes validate requests with them and
 * `/openapi.json` is generated from them, so the document cannot drift from the code.
 */
import { z } from '@hono/zod-openapi';
import { LEARNER_PATTERN, LEARNER_RULE, reportJson } from '../engine/index.js';
import type { GradeReport, SessionView } from '../engine/index.js';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum([
        'bad_request',
        'unauthorized',
        'not_found',
        'conflict',
        'payload_too_large',
        'unsupported_media_type',
        'unprocessable',
        'too_many_sessions',
        'internal',
        'unavailable',
      ]),
      message: z.string(),
      hint: z.string().optional(),
    }),
  })
  .openapi('Error');

export const ScenarioIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^(?:[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/,
    'a scenario id (lower-case letters, digits, dots, dashes and underscores), or <course-id>/<id>',
  )
  .openapi({ example: 'wrong-port' });

export const SeedSchema = z
  .number()
  .int()
  .min(0)
  .max(2_147_483_647)
  .openapi({ example: 42, description: 'Same seed, same lab: faults may take values from a seeded random choice.' });

export const ScenarioSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    difficulty: z.string(),
    tags: z.array(z.string()),
    course: z.string().optional().openapi({ description: 'The id of the course the scenario belongs to.' }),
    ref: z
      .string()
      .optional()
      .openapi({ description: 'What to send as `scenario`: the id, or `<course-id>/<id>` when two courses share it.' }),
  })
  .openapi('Scenario');
export const ScenarioListSchema = z.object({ scenarios: z.array(ScenarioSchema) }).openapi('ScenarioList');

export const SessionIdParams = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a session id')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'k3x9qa' }),
});

export const LearnerSchema = z.string().trim().regex(LEARNER_PATTERN, LEARNER_RULE).openapi({
  example: 'ada-lovelace',
  description:
    'Whose lab or submission it is (a login, a student number, an e-mail address); shown on the instructor dashboard and carried into grade reports.',
});

export const CreateSessionBody = z
  .object({
    scenario: ScenarioIdSchema,
    seed: SeedSchema.optional(),
    learner: LearnerSchema.optional(),
  })
  .strict()
  .openapi('CreateSession');

export const CheckResultSchema = z
  .object({
    id: z.string(),
    passed: z.boolean(),
    errored: z.boolean(),
    points: z.number(),
    maxPoints: z.number(),
    message: z.string(),
    evidence: z.string().optional(),
    title: z.string(),
    type: z.string(),
    status: z.enum(['passed', 'failed', 'errored']),
    hint: z.string().optional(),
    durationMs: z.number(),
  })
  .openapi('CheckResult');

export const ReportSchema = z
  .object({
    scenario: z.string(),
    passed: z.boolean(),
    score: z.number(),
    maxScore: z.number(),
    checks: z.array(CheckResultSchema),
    seed: z.number().optional(),
    startedAt: z.string(),
    durationMs: z.number(),
    endedAt: z.string().optional(),
    learner: z.string().optional(),
    scenarioHash: z.string().optional().openapi({ description: 'sha256 of the scenario file graded against.' }),
    breakfixVersion: z.string().optional(),
  })
  .openapi('Report', { description: 'The contract JSON of `breakfix grade --reporter json`, with extra fields.' });

export type ReportBody = z.infer<typeof ReportSchema>;

export function toReportBody(report: GradeReport): ReportBody {
  return reportJson(report);
}

const LinksSchema = z.object({ self: z.string(), events: z.string() });

export const ServiceSchema = z
  .object({
    name: z.string(),
    container: z.string(),
    status: z.string(),
    health: z.string(),
    restarts: z.number(),
    exitCode: z.number(),
    ports: z.array(z.object({ container: z.number(), host: z.number(), protocol: z.enum(['tcp', 'udp']) })),
    image: z.string(),
  })
  .openapi('Service');

export const SessionSchema = z
  .object({
    id: z.string(),
    scenario: z.string(),
    title: z.string(),
    seed: z.number(),
    learner: z.string().optional(),
    state: z.string().openapi({
      description:
        'preparing, building, deploying, injecting, confirming, active, checking, applying, resetting, passed, tearingDown, stopped, error',
    }),
    operation: z
      .string()
      .optional()
      .openapi({ description: 'What this server is doing to the session right now (start, check, apply, …).' }),
    createdAt: z.string(),
    activeSince: z.string().optional(),
    attempts: z.number(),
    release: z.number(),
    releases: z.number(),
    lastReport: ReportSchema.optional(),
    lastFailure: z.string().optional(),
    error: z.object({ during: z.string(), message: z.string(), kind: z.string() }).optional(),
    hints: z.object({
      revealed: z.array(z.string()),
      unlocked: z.number(),
      total: z.number(),
      nextRule: z.object({ attempts: z.number().optional(), elapsedMs: z.number().optional() }).optional(),
    }),
    services: z.array(ServiceSchema),
    links: LinksSchema,
  })
  .openapi('Session');

export type SessionBody = z.infer<typeof SessionSchema>;

export const links = (id: string) => ({ self: `/v1/sessions/${id}`, events: `/v1/sessions/${id}/events` });

export function toSessionBody(view: SessionView, operation?: string): SessionBody {
  return {
    id: view.sessionId,
    scenario: view.scenarioId,
    title: view.title,
    seed: view.seed,
    state: view.state,
    ...(operation ? { operation } : {}),
    createdAt: view.createdAt,
    ...(view.activeSince ? { activeSince: view.activeSince } : {}),
    attempts: view.attempts,
    release: view.release,
    releases: view.releases,
    ...(view.lastReport ? { lastReport: toReportBody(view.lastReport) } : {}),
    ...(view.lastFailure ? { lastFailure: view.lastFailure.message } : {}),
    ...(view.error ? { error: { during: view.error.during, message: view.error.message, kind: view.error.kind } } : {}),
    hints: {
      revealed: view.hints.revealed,
      unlocked: view.hints.unlocked,
      total: view.hints.total,
      ...(view.hints.nextRule ? { nextRule: view.hints.nextRule } : {}),
    },
    services: view.services.map((service) => ({
      name: service.name,
      container: service.container,
      status: service.status,
      health: service.health,
      restarts: service.restarts,
      exitCode: service.exitCode,
      ports: service.ports.map((port) => ({ container: port.container, host: port.host, protocol: port.protocol })),
      image: service.image,
    })),
    links: links(view.sessionId),
  };
}

export const SessionSummarySchema = z
  .object({
    id: z.string(),
    scenario: z.string(),
    seed: z.number(),
    learner: z.string().optional(),
    state: z.string(),
    operation: z.string().optional(),
    createdAt: z.string(),
    error: z.string().optional(),
    links: LinksSchema,
  })
  .openapi('SessionSummary');

export const SessionListSchema = z
  .object({ sessions: z.array(SessionSummarySchema), max: z.number() })
  .openapi('SessionList');

export const ActionResultSchema = z
  .object({
    session: SessionSchema,
    report: ReportSchema.optional().openapi({ description: 'Set by /check: the report of this round.' }),
  })
  .openapi('ActionResult');

export const DeletedSchema = z.object({ id: z.string(), state: z.literal('stopped') }).openapi('Deleted');

export const FilePathParams = z.object({
  id: SessionIdParams.shape.id,
  path: z
    .string()
    .min(1)
    .max(1024)
    .openapi({
      param: { name: 'path', in: 'path' },
      example: 'compose.yaml',
      description: 'A path inside the workspace, slashes allowed; never absolute, no `..`, not under `.breakfix/`.',
    }),
});

export const FileWrittenSchema = z.object({ path: z.string(), bytes: z.number() }).openapi('FileWritten');
export const DirectoryListingSchema = z
  .object({
    path: z.string(),
    entries: z.array(
      z.object({ name: z.string(), type: z.enum(['file', 'directory', 'symlink', 'other']), size: z.number() }),
    ),
  })
  .openapi('DirectoryListing');

export const GradeFieldsSchema = z.object({
  scenario: ScenarioIdSchema,
  seed: z
    .string()
    .regex(/^\d{1,10}$/, 'a non-negative integer')
    .optional()
    .openapi({ description: 'The seed the learner had (default: the one the submission records, else 1).' }),
  reporter: z.enum(['json', 'junit', 'tap', 'text']).optional().openapi({ description: 'Overrides `Accept`.' }),
  learner: LearnerSchema.optional(),
});

export const GradeFormSchema = GradeFieldsSchema.extend({
  workspace: z
    .instanceof(File)
    .openapi({ type: 'string', format: 'binary', description: 'The workspace as a tar archive (optionally gzipped).' }),
}).openapi('GradeUpload');

export const GradeResponseSchema = ReportSchema.extend({
  dropped: z
    .array(z.object({ path: z.string(), reason: z.string() }))
    .openapi({ description: 'Files of the submission the grader ignored, and why.' }),
}).openapi('GradeResponse');

export const CreatedSessionSchema = z
  .object({
    id: z.string(),
    scenario: z.string(),
    seed: z.number(),
    learner: z.string().optional(),
    state: z.string(),
    links: LinksSchema,
  })
  .openapi('CreatedSession');

export const HealthSchema = z.object({ ok: z.literal(true), version: z.string() }).openapi('Health');
