import { z } from 'zod';
import { serviceParam } from '../params/service.js';
import { defineCheck, failed, passed } from './check.js';
import { excerpt, quote, regexSource, stringOrList } from './text-match.js';

export const logsCheck = defineCheck({
  type: 'logs',
  summary: "Read a service's logs as `docker logs` shows them: contains, absent, pattern, JSON lines.",
  params: z.strictObject({
    service: serviceParam,
    since: z.enum(['container', 'apply', 'session']).default('container').meta({
      description:
        'container: since the container started; apply: since the last apply; session: since the lab started.',
    }),
    expect: z.strictObject({
      contains: stringOrList.optional(),
      absent: stringOrList.optional(),
      matches: regexSource.optional(),
      jsonLines: z.boolean().optional().meta({ description: 'Every non-empty line is a JSON object.' }),
      minLines: z.number().int().min(1).optional(),
      maxLines: z
        .number()
        .int()
        .min(0)
        .optional()
        .meta({ description: 'At most this many lines, e.g. 0: nothing reaches `docker logs`.' }),
    }),
  }),
  services: (params) => [params.service],
  async run(ctx, params) {
    const name = params.service;
    const container = ctx.service(name).container;
    const state = await ctx.runtime.inspectContainer(container);
    if (!state) return failed(`${name}: expected logs, got no container`);
    // On a container's first run all its logs are this run's; reading them all avoids losing the
    // first lines of a fast process that logs before Docker records StartedAt. After a restart
    // (a policy restart, or `docker restart`) the run begins at StartedAt.
    const firstRun = state.restartCount === 0 && Date.parse(state.startedAt) - Date.parse(state.createdAt) < 5_000;
    const since =
      params.since === 'apply'
        ? ctx.since.apply
        : params.since === 'session'
          ? ctx.since.session
          : firstRun
            ? undefined
            : new Date(state.startedAt);
    const text = await ctx.runtime.logs(container, since ? { since } : {});
    const lines = text.split('\n').filter((line) => line.trim().length > 0);
    const evidence = excerpt(lines.slice(-8).join('\n'), 800) || '(no log lines)';
    const expect = params.expect;
    if (expect.minLines !== undefined && lines.length < expect.minLines) {
      return failed(`${name} logs: expected at least ${expect.minLines} lines, got ${lines.length}`, evidence);
    }
    if (expect.maxLines !== undefined && lines.length > expect.maxLines) {
      return failed(`${name} logs: expected at most ${expect.maxLines} lines, got ${lines.length}`, evidence);
    }
    for (const needle of expect.contains ?? []) {
      if (!text.includes(needle))
        return failed(
          `${name} logs: expected a line containing ${quote(needle)}, got ${lines.length} lines without it`,
          evidence,
        );
    }
    for (const needle of expect.absent ?? []) {
      const hit = lines.find((line) => line.includes(needle));
      if (hit !== undefined)
        return failed(`${name} logs: expected no ${quote(needle)}, got ${quote(excerpt(hit, 160))}`, evidence);
    }
    if (expect.matches !== undefined && !new RegExp(expect.matches, 'm').test(text)) {
      return failed(
        `${name} logs: expected a line matching /${expect.matches}/, got ${lines.length} lines without one`,
        evidence,
      );
    }
    if (expect.jsonLines === true) {
      if (lines.length === 0) return failed(`${name} logs: expected JSON lines, got no log lines`, evidence);
      const bad = lines.find((line) => {
        try {
          const parsed: unknown = JSON.parse(line);
          return parsed === null || typeof parsed !== 'object' || Array.isArray(parsed);
        } catch {
          return true;
        }
      });
      if (bad !== undefined)
        return failed(
          `${name} logs: expected every line to be a JSON object, got ${quote(excerpt(bad, 160))}`,
          evidence,
        );
    }
    return passed(`${name} logs: ${lines.length} lines as expected`, evidence);
  },
});
