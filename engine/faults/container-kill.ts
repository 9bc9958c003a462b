import { z } from 'zod';
import { defineFault } from './fault.js';
import { serviceParam } from './service-param.js';

export const containerKill = defineFault({
  type: 'container.kill',
  phase: 'runtime',
  summary: "Send a signal to a service's container (SIGKILL by default), like an OOM killer or a stray `kill`.",
  params: z.strictObject({
    service: serviceParam,
    signal: z
      .string()
      .regex(/^SIG[A-Z0-9]+$/, 'must be a signal name like SIGKILL')
      .default('SIGKILL'),
  }),
  services: (params) => [params.service],
  async inject(ctx, params) {
    await ctx.runtime.killContainer(ctx.service(params.service).container, params.signal);
    return `sent ${params.signal} to ${params.service}`;
  },
});
