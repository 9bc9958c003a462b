import { z } from 'zod';
import { defineFault } from './fault.js';
import { serviceParam } from '../params/service.js';

export const networkDisconnect = defineFault({
  type: 'network.disconnect',
  phase: 'runtime',
  summary: "Disconnect a service's container from the lab network: its peers no longer resolve or reach it.",
  params: z.strictObject({ service: serviceParam }),
  services: (params) => [params.service],
  async inject(ctx, params) {
    await ctx.runtime.disconnectNetwork(ctx.service(params.service).container, ctx.network);
    return `disconnected ${params.service} from the lab network`;
  },
  restore: {
    // The deployer gives every container its service name as its only alias on the lab network.
    async undo(ctx, params) {
      await ctx.runtime.connectNetwork(ctx.service(params.service).container, ctx.network, [params.service]);
    },
  },
});
