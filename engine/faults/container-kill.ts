import { z } from 'zod';
import { defineFault } from './fault.js';
import { serviceParam } from '../params/service.js';

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
  restore: {
    // A signal cannot be taken back; what can be undone is its effect: a container it stopped
    // (and that no restart policy brought back) is started again.
    async undo(ctx, params) {
      const { container } = ctx.service(params.service);
      const state = await ctx.runtime.inspectContainer(container);
      if (state && !state.running && state.status !== 'restarting') await ctx.runtime.startContainer(container);
    },
  },
});
