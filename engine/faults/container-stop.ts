import { z } from 'zod';
import { defineFault } from './fault.js';
import { serviceParam } from './service-param.js';

export const containerStop = defineFault({
  type: 'container.stop',
  phase: 'runtime',
  summary: "Stop a service's container gracefully.",
  params: z.strictObject({ service: serviceParam, timeoutSeconds: z.number().int().min(0).max(60).default(2) }),
  services: (params) => [params.service],
  async inject(ctx, params) {
    await ctx.runtime.stopContainer(ctx.service(params.service).container, params.timeoutSeconds);
    return `stopped ${params.service}`;
  },
});
