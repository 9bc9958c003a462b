import { z } from 'zod';
import { countRange, serviceParam } from '../params/index.js';
import { describeRange, inRange } from '../params/range.js';
import { durationSchema, formatDuration } from '../util/duration.js';
import { defineCheck, failed, passed } from './check.js';
import { describeLoad, generateLoad, type LoadProgress } from './load-generator.js';
import { publishedUrl } from './published-url.js';
import { encodeBody, loadShape } from './traffic-param.js';

const ratioRange = z
  .strictObject({ min: z.number().min(0).max(1).optional(), max: z.number().min(0).max(1).optional() })
  .refine(
    (range) => range.min === undefined || range.max === undefined || range.min <= range.max,
    'min must not be greater than max',
  );

type RatioRange = { min?: number | undefined; max?: number | undefined };

const statusCode = z.string().regex(/^[1-5]\d\d$/, 'must be an HTTP status code such as "200"');

export const loadCheck = defineCheck({
  type: 'load',
  summary:
    'Send N requests at concurrency C through the published port: success ratio, status counts, p95 latency, errors.',
  params: z.strictObject({
    service: serviceParam,
    ...loadShape,
    expect: z
      .strictObject({
        successRatio: z
          .union([
            z
              .number()
              .min(0)
              .max(1)
              .transform((min): RatioRange => ({ min })),
            ratioRange,
          ])
          .default({ min: 1 })
          .meta({
            description:
              'Share of the N requests answered with a success status (0–1): a number is a minimum, or { min, max }. Default: all of them.',
          }),
        success: z
          .array(z.number().int().min(100).max(599))
          .min(1)
          .optional()
          .meta({ description: 'Statuses that count as success; default 200–399.' }),
        status: z
          .record(statusCode, countRange)
          .optional()
          .meta({ description: 'How many answers with a status, e.g. { "503": { max: 0 } }.' }),
        p95: durationSchema.optional().meta({ description: '95th percentile latency of the answered requests.' }),
        errors: countRange
          .optional()
          .meta({ description: 'How many requests got no HTTP answer (refused, reset, timed out), e.g. { max: 0 }.' }),
      })
      .default({ successRatio: { min: 1 } }),
  }),
  services: (params) => [params.service],
  exclusive: true,
  async run(ctx, params) {
    const target = await publishedUrl(ctx, params.service, params.port);
    if (!target.ok) return failed(target.message);
    const encoded = encodeBody(params.body);
    const what = `${params.requests} × ${params.method} ${target.label}${params.path} at concurrency ${params.concurrency}`;
    const stats = await generateLoad({
      url: `${target.base}${params.path}`,
      method: params.method,
      headers: { ...encoded.headers, ...params.headers },
      ...(encoded.body !== undefined ? { body: encoded.body } : {}),
      requests: params.requests,
      concurrency: params.concurrency,
      requestTimeoutMs: params.requestTimeout,
      signal: ctx.signal,
      decided: (progress) => certainFailure(params.expect, params.requests, progress),
    });
    const evidence = describeLoad(stats);
    if (ctx.signal.aborted) return failed(`${what}: expected to finish, got interrupted (${evidence})`, evidence);
    const expect = params.expect;
    const isSuccess = (status: number): boolean =>
      expect.success ? expect.success.includes(status) : status >= 200 && status < 400;
    const successes = Object.entries(stats.statusCounts)
      .filter(([status]) => isSuccess(Number(status)))
      .reduce((sum, [, count]) => sum + count, 0);
    const ratio = successes / params.requests;

    if (expect.errors && !inRange(stats.errors, expect.errors)) {
      return failed(
        `${what}: expected ${describeRange(expect.errors, String)} requests without an answer, got ${stats.errors} (${evidence})`,
        evidence,
      );
    }
    const wantedRatio: RatioRange = expect.successRatio;
    if (
      (wantedRatio.min !== undefined && ratio < wantedRatio.min) ||
      (wantedRatio.max !== undefined && ratio > wantedRatio.max)
    ) {
      return failed(
        `${what}: expected ${describeRange(wantedRatio, percent)} successful answers, got ${percent(ratio)} (${evidence})`,
        evidence,
      );
    }
    for (const [status, range] of Object.entries(expect.status ?? {})) {
      const count = stats.statusCounts[status] ?? 0;
      if (!inRange(count, range)) {
        const wanted = describeRange(range, String);
        return failed(`${what}: expected ${wanted} answers ${status}, got ${count} (${evidence})`, evidence);
      }
    }
    if (expect.p95 !== undefined) {
      if (stats.p95Ms === undefined)
        return failed(`${what}: expected a p95 latency, got no answer at all (${evidence})`, evidence);
      if (stats.p95Ms > expect.p95)
        return failed(
          `${what}: expected p95 latency within ${formatDuration(expect.p95)}, got ${formatDuration(stats.p95Ms)} (${evidence})`,
          evidence,
        );
    }
    return passed(`${what}: ${percent(ratio)} successful (${evidence})`, evidence);
  },
});

type LoadExpect = z.output<typeof loadCheck.params>['expect'];

/**
 * True once the answers so far fail a bound that more answers cannot bring back: too many
 * failures for the wanted ratio, too many successes for its maximum, or more errors or answers
 * of a status than allowed. A lab whose requests each wait out a timeout then costs one round
 * of requests, not all of them. (p95 is never decided early: later answers move it.)
 */
export function certainFailure(expect: LoadExpect, requests: number, progress: LoadProgress): boolean {
  const isSuccess = (status: number): boolean =>
    expect.success ? expect.success.includes(status) : status >= 200 && status < 400;
  let successes = 0;
  let failures = progress.errors;
  for (const [status, count] of Object.entries(progress.statusCounts)) {
    if (isSuccess(Number(status))) successes += count;
    else failures += count;
  }
  const ratio: RatioRange = expect.successRatio;
  if (ratio.min !== undefined && (requests - failures) / requests < ratio.min) return true;
  if (ratio.max !== undefined && successes / requests > ratio.max) return true;
  if (expect.errors?.max !== undefined && progress.errors > expect.errors.max) return true;
  for (const [status, range] of Object.entries(expect.status ?? {}))
    if (range.max !== undefined && (progress.statusCounts[status] ?? 0) > range.max) return true;
  return false;
}

function percent(ratio: number): string {
  const value = ratio * 100;
  return `${Number.isInteger(value) ? value : value.toFixed(1)}%`;
}
