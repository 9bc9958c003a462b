import { z } from 'zod';
import { defineFault } from './fault.js';
import { serviceParam } from './service-param.js';

export const containerPause = defineFault({
  type: 'container.pause',
  phase: 'runtime',
  summary: "Freeze a service's processes: the container looks up but answers nothing.",
  params: z.strictObject({ service: serviceParam }),
  services: (params) => [params.service],
  async inject(ctx, params) {
    await ctx.runtime.pauseContainer(ctx.service(params.service).container);
    return `paused ${params.service}`;
  },
});
