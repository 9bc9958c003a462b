import { z } from 'zod';
import { defineFault } from './fault.js';
import { serviceParam } from '../params/service.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const containerPause = defineFault({
  type: 'container.pause',
  phase: 'runtime',
  summary: "Freeze a service's processes: the container looks up but answers nothing.",
  params: z.strictObject({ service: serviceParam }),
  services: (params) => [params.service],
  async inject(ctx, params) {
    const { container } = ctx.service(params.service);
    // The cgroup v1 freezer can give up while the container is forking (a healthcheck probe
    // starting): Docker then answers "OCI runtime pause failed: unable to freeze". It is
    // transient, so try again briefly rather than fail the scenario at random.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await ctx.runtime.pauseContainer(container);
        break;
      } catch (error) {
        if (attempt >= 5 || !/unable to freeze/i.test(error instanceof Error ? error.message : String(error)))
          throw error;
        await sleep(200);
      }
    }
    return `paused ${params.service}`;
  },
  restore: {
    async undo(ctx, params) {
      await ctx.runtime.unpauseContainer(ctx.service(params.service).container);
    },
  },
});
