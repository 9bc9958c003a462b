import { z } from 'zod';
import { byteSizeSchema, formatBytes } from '../util/bytes.js';
import { defineFault } from './fault.js';
import { serviceParam } from '../params/service.js';

export const containerMemory = defineFault({
  type: 'container.memory',
  phase: 'runtime',
  summary: "Lower a running container's memory limit (it may be OOM-killed).",
  params: z.strictObject({ service: serviceParam, limit: byteSizeSchema }),
  services: (params) => [params.service],
  async inject(ctx, params) {
    await ctx.runtime.updateMemory(ctx.service(params.service).container, params.limit);
    return `limited ${params.service} to ${formatBytes(params.limit)}`;
  },
});
