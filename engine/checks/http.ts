import { z } from 'zod';
import { durationSchema, formatDuration } from '../util/duration.js';
import { describeRange, inRange, portParam, type Bounds } from '../params/range.js';
import { serviceParam } from '../params/service.js';
import { defineCheck, failed, passed } from './check.js';
import { readJsonPath } from './json-path.js';
import { excerpt, quote, regexSource } from './text-match.js';

const jsonExpectation = z
  .strictObject({
    path: z.string().min(1).meta({
      description:
        'Where in the JSON body: field names joined by dots, array indexes in brackets, an optional leading `$` or `$.` (`database`, `items[0].id`, `$.data.items[2].title`). No wildcards or filters; a missing field fails `equals`/`matches`/`contains` and `exists: true`.',
    }),
    equals: z.unknown().optional(),
    exists: z.boolean().optional(),
    matches: regexSource.optional(),
    min: z.number().optional().meta({
      description:
        'The value at `path` is a number (or a string that is one: PostgreSQL sends counts and sums as text) at least this.',
    }),
    max: z.number().optional().meta({ description: 'The value at `path` is a number at most this (as `min`).' }),
    contains: z
      .array(
        z
          .record(z.string(), z.unknown())
          .refine((row) => Object.keys(row).length > 0, 'a row names at least one field'),
      )
      .optional()
      .meta({
        description:
          'The array at `path` holds every one of these rows: an element whose fields equal all the given ones (whole rows, not one field, so data that lost a column does not pass).',
      }),
  })
  .refine((json) => json.min === undefined || json.max === undefined || json.min <= json.max, {
    message: 'min must not be greater than max',
  });

/** Why `value` is not a number within `range`, in words (undefined when it is). */
function outOfBounds(value: unknown, range: Bounds): string | undefined {
  // Numeric text counts (node-pg's bigint and numeric); an empty or partly numeric string does not.
  const number =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) return `to be a number ${describeRange(range)}, got ${JSON.stringify(value)}`;
  return inRange(number, range) ? undefined : `${describeRange(range)}, got ${JSON.stringify(value)}`;
}

/** Why `rows` lacks `wanted`, in words: the closest element by its first field, and what differs. */
function missingRow(rows: unknown[], wanted: Record<string, unknown>): string | undefined {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const matches = (row: unknown) =>
    row !== null &&
    typeof row === 'object' &&
    Object.entries(wanted).every(([key, value]) => same((row as Record<string, unknown>)[key], value));
  if (rows.some(matches)) return undefined;
  const [firstKey, firstValue] = Object.entries(wanted)[0] as [string, unknown];
  const near = rows.find(
    (row) => row !== null && typeof row === 'object' && same((row as Record<string, unknown>)[firstKey], firstValue),
  ) as Record<string, unknown> | undefined;
  if (!near) return `no row with ${firstKey} ${JSON.stringify(firstValue)}`;
  const differs = Object.keys(wanted).filter((key) => !same(near[key], wanted[key]));
  return `the row with ${firstKey} ${JSON.stringify(firstValue)} has ${differs.map((key) => `${key} ${JSON.stringify(near[key] ?? null)}`).join(', ')}`;
}

export const httpCheck = defineCheck({
  type: 'http',
  summary: 'Request a service through its published port on the host, as a user would.',
  params: z.strictObject({
    service: serviceParam,
    port: portParam.optional().meta({ description: 'Container port; defaults to the first published one.' }),
    path: z.string().startsWith('/').default('/'),
    method: z.enum(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH']).default('GET'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional(),
    expect: z
      .strictObject({
        reachable: z.boolean().default(true).meta({
          description:
            'false: the request must get no HTTP answer (refused, reset, timed out, or the service has no running container), e.g. to confirm a port mismatch or that a release did not start.',
        }),
        status: z.union([z.number().int(), z.array(z.number().int()).min(1)]).default(200),
        bodyContains: z.string().optional(),
        bodyMatches: regexSource.optional(),
        bodyExcludes: z.string().optional(),
        json: z.array(jsonExpectation).default([]),
        headers: z.record(z.string(), z.string()).default({}),
        maxLatency: durationSchema.optional(),
      })
      .default({ reachable: true, status: 200, json: [], headers: {} }),
  }),
  services: (params) => [params.service],
  // A request that writes (an order, a note) runs alone, so checks listed after it see its effect.
  exclusive: (params) => params.method !== 'GET' && params.method !== 'HEAD',
  async run(ctx, params) {
    const state = await ctx.runtime.inspectContainer(ctx.service(params.service).container);
    // No answer is what was asked, and a service with no running container gives none: after a
    // failed migration the reference deploy leaves the api created and never started.
    if (!params.expect.reachable && !state?.running)
      return passed(
        `${params.service}: ${state ? `not running (${state.status})` : 'no container'}, so no HTTP answer, as expected`,
      );
    if (!state) return failed(`${params.service}: expected a container, got none (not deployed)`);
    const published =
      params.port === undefined ? state.ports[0] : state.ports.find((port) => port.container === params.port);
    if (!published) {
      const what = params.port === undefined ? 'a published port' : `container port ${params.port} published`;
      return failed(
        `${params.service}: expected ${what}, got ${state.ports.map((p) => `${p.container}`).join(', ') || 'none'}`,
      );
    }
    const url = `http://${ctx.host}:${published.host}${params.path}`;
    const target = `${params.method} ${params.service}:${published.container}${params.path}`;
    const body =
      params.body === undefined
        ? undefined
        : typeof params.body === 'string'
          ? params.body
          : JSON.stringify(params.body);
    const headers = {
      ...(typeof params.body === 'object' ? { 'content-type': 'application/json' } : {}),
      ...params.headers,
    };
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(url, {
        method: params.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        signal: ctx.signal,
        redirect: 'manual',
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = ctx.signal.aborted
        ? 'no answer before the timeout'
        : cause?.code === 'ECONNREFUSED'
          ? 'connection refused'
          : cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET'
            ? 'connection reset'
            : (cause?.message ?? String(error));
      const evidence = `state: ${state.status}, health: ${state.health}`;
      // A hung or paused service is the lab misbehaving, so no answer fails rather than errors.
      return params.expect.reachable
        ? failed(`${target}: expected an HTTP answer, got ${reason}`, evidence)
        : passed(`${target}: no HTTP answer (${reason}), as expected`, evidence);
    }
    if (!params.expect.reachable) {
      await response.body?.cancel();
      return failed(`${target}: expected no HTTP answer, got status ${response.status}`);
    }
    const text = await response.text();
    const latency = performance.now() - started;
    const wanted = Array.isArray(params.expect.status) ? params.expect.status : [params.expect.status];
    const evidence = `HTTP ${response.status} in ${formatDuration(latency)}\n${excerpt(text)}`;
    if (!wanted.includes(response.status))
      return failed(`${target}: expected status ${wanted.join(' or ')}, got ${response.status}`, evidence);
    if (params.expect.bodyContains !== undefined && !text.includes(params.expect.bodyContains)) {
      return failed(
        `${target}: expected body to contain ${quote(params.expect.bodyContains)}, got ${quote(excerpt(text, 120))}`,
        evidence,
      );
    }
    if (params.expect.bodyMatches !== undefined && !new RegExp(params.expect.bodyMatches).test(text)) {
      return failed(
        `${target}: expected body to match /${params.expect.bodyMatches}/, got ${quote(excerpt(text, 120))}`,
        evidence,
      );
    }
    if (params.expect.bodyExcludes !== undefined && text.includes(params.expect.bodyExcludes)) {
      return failed(`${target}: expected body without ${quote(params.expect.bodyExcludes)}, got it`, evidence);
    }
    for (const [name, value] of Object.entries(params.expect.headers)) {
      const actual = response.headers.get(name);
      if (actual === null || !actual.includes(value))
        return failed(`${target}: expected header ${name}: ${value}, got ${actual ?? 'no such header'}`, evidence);
    }
    if (params.expect.json.length > 0) {
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch {
        return failed(`${target}: expected a JSON body, got ${quote(excerpt(text, 120))}`, evidence);
      }
      for (const expectation of params.expect.json) {
        const { found, value } = readJsonPath(document, expectation.path);
        if (expectation.exists === false) {
          if (found)
            return failed(`${target}: expected no ${expectation.path}, got ${JSON.stringify(value)}`, evidence);
          continue;
        }
        if (!found) return failed(`${target}: expected ${expectation.path} in the body, got nothing`, evidence);
        if (expectation.equals !== undefined && JSON.stringify(value) !== JSON.stringify(expectation.equals)) {
          return failed(
            `${target}: expected ${expectation.path} = ${JSON.stringify(expectation.equals)}, got ${JSON.stringify(value)}`,
            evidence,
          );
        }
        if (expectation.contains !== undefined) {
          if (!Array.isArray(value))
            return failed(
              `${target}: expected ${expectation.path} to be a list, got ${JSON.stringify(value)}`,
              evidence,
            );
          for (const row of expectation.contains) {
            const why = missingRow(value, row);
            if (why)
              return failed(
                `${target}: expected ${expectation.path} to include every row this check lists, got ${why}`,
                evidence,
              );
          }
        }
        if (expectation.min !== undefined || expectation.max !== undefined) {
          const why = outOfBounds(value, expectation);
          if (why) return failed(`${target}: expected ${expectation.path} ${why}`, evidence);
        }
        if (expectation.matches !== undefined && !new RegExp(expectation.matches).test(String(value))) {
          return failed(
            `${target}: expected ${expectation.path} to match /${expectation.matches}/, got ${JSON.stringify(value)}`,
            evidence,
          );
        }
      }
    }
    if (params.expect.maxLatency !== undefined && latency > params.expect.maxLatency) {
      return failed(
        `${target}: expected an answer within ${formatDuration(params.expect.maxLatency)}, got ${formatDuration(latency)}`,
        evidence,
      );
    }
    return passed(`${target} answered ${response.status} in ${formatDuration(latency)}`, evidence);
  },
});
