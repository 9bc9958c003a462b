import { z } from 'zod';
import { serviceParam } from '../params/index.js';
import { describeRange, inRange, numberRange } from '../params/range.js';
import { defineCheck, failed, passed, type CheckContext } from './check.js';
import { driveTraffic, trafficParam } from './traffic-param.js';

/** `INFO <section>` as Redis itself reports it, read with redis-cli inside the Redis container. */
async function readInfo(ctx: CheckContext, service: string, section: string) {
  const container = ctx.service(service).container;
  const state = await ctx.runtime.inspectContainer(container);
  if (!state?.running)
    return {
      ok: false as const,
      message: `${service}: expected a running Redis, got ${state ? state.status : 'none'}`,
    };
  // A bound for a hung exec, not a speed limit: on a busy machine starting an exec alone can take seconds.
  const result = await ctx.runtime.exec(container, ['redis-cli', '-h', '127.0.0.1', 'INFO', section], {
    timeoutMs: 20_000,
  });
  const text = `${result.stdout}\n${result.stderr}`;
  if (result.exitCode !== 0 || /^(ERR|NOAUTH|WRONGPASS)/m.test(result.stdout)) {
    const first = text.trim().split('\n')[0] ?? '';
    return {
      ok: false as const,
      message: `${service}: expected \`redis-cli INFO ${section}\` to answer, got ${first}`,
    };
  }
  const fields = new Map<string, string>();
  for (const line of result.stdout.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return { ok: true as const, fields };
}

export const redisInfoCheck = defineCheck({
  type: 'redis-info',
  summary:
    "Read a Redis server's own INFO statistics (e.g. keyspace_hits), optionally before and after traffic sent to another service.",
  params: z
    .strictObject({
      service: serviceParam.meta({ description: 'The Redis service.' }),
      section: z
        .string()
        .regex(/^[a-z]+$/)
        .default('stats'),
      field: z
        .string()
        .regex(/^[a-z0-9_]+$/)
        .meta({ description: 'A numeric INFO field, e.g. keyspace_hits, keyspace_misses, connected_clients.' }),
      traffic: trafficParam.optional(),
      expect: z.strictObject({
        value: numberRange.optional(),
        increase: numberRange.optional().meta({ description: 'After the traffic minus before (needs `traffic`).' }),
      }),
    })
    .refine((value) => value.expect.increase === undefined || value.traffic?.service !== undefined, {
      message: 'increase compares two readings around traffic: give `traffic` with the service to send it to',
      path: ['expect'],
    }),
  services: (params) => [params.service, ...(params.traffic?.service ? [params.traffic.service] : [])],
  exclusive: (value) => value.traffic !== undefined,
  async run(ctx, params) {
    const what = `${params.service}: INFO ${params.section} ${params.field}`;
    const number = (fields: Map<string, string>): number | undefined => {
      const raw = fields.get(params.field);
      return raw === undefined || raw === '' || Number.isNaN(Number(raw)) ? undefined : Number(raw);
    };
    const first = params.traffic ? await readInfo(ctx, params.service, params.section) : undefined;
    if (first && !first.ok) return failed(first.message);
    let trafficNote = '';
    let evidence = '';
    if (params.traffic?.service) {
      const traffic = await driveTraffic(ctx, params.traffic, params.service);
      if (!traffic.ok) return failed(`traffic between the two readings: ${traffic.message}`);
      trafficNote = ` while ${traffic.label} were sent`;
      evidence = `traffic: ${traffic.evidence}`;
    }
    const last = await readInfo(ctx, params.service, params.section);
    if (!last.ok) return failed(last.message, evidence || undefined);
    const value = number(last.fields);
    if (value === undefined)
      return failed(`${what}: expected a number, got none (no such field)`, evidence || undefined);
    const before = first?.ok ? number(first.fields) : undefined;
    evidence = [evidence, `${params.field}: ${before !== undefined ? `${before} → ` : ''}${value}`]
      .filter(Boolean)
      .join('\n');
    if (params.expect.value && !inRange(value, params.expect.value))
      return failed(`${what}: expected ${describeRange(params.expect.value)}, got ${value}`, evidence);
    if (params.expect.increase && before !== undefined) {
      const increase = value - before;
      if (!inRange(increase, params.expect.increase))
        return failed(
          `${what}: expected to increase by ${describeRange(params.expect.increase)}${trafficNote}, got +${increase}`,
          evidence,
        );
      return passed(`${what}: +${increase}${trafficNote}`, evidence);
    }
    return passed(`${what} = ${value}`, evidence);
  },
});
