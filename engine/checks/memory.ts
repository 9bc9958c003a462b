/**
 * The memory limit a service's container really runs with (what the kernel enforces, from
 * `docker inspect`), not what compose.yaml says: a limit raised to "fix" an OOM kill, or
 * removed, shows here whichever file or flag did it.
 */
import { z } from 'zod';
import { serviceParam } from '../params/index.js';
import { byteSizeSchema, formatBytes } from '../util/bytes.js';
import { defineCheck, failed, passed } from './check.js';

export const memoryCheck = defineCheck({
  type: 'memory',
  summary:
    "Judge the memory limit a service's container effectively runs with (docker inspect), e.g. at most the host's budget.",
  params: z.strictObject({
    service: serviceParam,
    expect: z.strictObject({
      limit: z
        .strictObject({ min: byteSizeSchema.optional(), max: byteSizeSchema.optional() })
        .refine((range) => range.min === undefined || range.max === undefined || range.min <= range.max, {
          message: 'min must not be greater than max',
        })
        .meta({ description: 'The effective limit; a container without one fails any `max`.' }),
    }),
  }),
  services: (params) => [params.service],
  async run(ctx, params) {
    const name = params.service;
    const state = await ctx.runtime.inspectContainer(ctx.service(name).container);
    if (!state) return failed(`${name}: expected a container, got none (not deployed)`);
    const limit = state.memoryBytes;
    const shown = limit > 0 ? formatBytes(limit) : 'no limit';
    const { min, max } = params.expect.limit;
    if (max !== undefined && (limit === 0 || limit > max))
      return failed(`${name}: expected a memory limit of at most ${formatBytes(max)}, got ${shown}`);
    if (min !== undefined && limit > 0 && limit < min)
      return failed(`${name}: expected a memory limit of at least ${formatBytes(min)}, got ${shown}`);
    return passed(`${name}: memory limit ${shown}`);
  },
});
