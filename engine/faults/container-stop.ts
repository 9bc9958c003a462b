import { z } from 'zod';
import { defineFault, FaultError } from './fault.js';
import { serviceParam } from '../params/service.js';

export const containerStop = defineFault({
  type: 'container.stop',
  phase: 'runtime',
  summary: "Stop a service's container gracefully.",
  params: z.strictObject({ service: serviceParam, timeoutSeconds: z.number().int().min(0).max(60).default(2) }),
  services: (params) => [params.service],
  async inject(ctx, params) {
    const { container } = ctx.service(params.service);
    // runtime.stopContainer treats "no such container" as already stopped (right for teardown);
    // for a fault it would mean a scenario that silently breaks nothing, so say it loudly.
    if (!(await ctx.runtime.inspectContainer(container)))
      throw new FaultError(`no such container: ${container} (service ${params.service} is not deployed)`);
    await ctx.runtime.stopContainer(container, params.timeoutSeconds);
    return `stopped ${params.service}`;
  },
  restore: {
    async undo(ctx, params) {
      await ctx.runtime.startContainer(ctx.service(params.service).container);
    },
  },
});
