import { z } from 'zod';
import { defineFault, type FaultContext } from './fault.js';
import { faultKey, runFaultHelper, runningTarget } from './fault-helper.js';
import { INBOUND, installChainScript, OUTBOUND, peerParam, removeChainScript } from './network-rules.js';
import { serviceParam } from '../params/service.js';

const params = z.strictObject({ service: serviceParam, peer: peerParam });
type Params = z.infer<typeof params>;

const chainOf = (p: Params) => `BF-BH-${faultKey('network.blackhole', { service: p.service, peer: p.peer ?? null })}`;

async function undo(ctx: FaultContext, p: Params): Promise<void> {
  const state = await ctx.runtime.inspectContainer(ctx.service(p.service).container);
  // A stopped or recreated container has a fresh network namespace: the rules went with the old one.
  if (state?.status !== 'running') return;
  await runFaultHelper(ctx, {
    type: 'network.blackhole',
    service: p.service,
    network: true,
    command: ['sh', '-c', removeChainScript({ chain: chainOf(p), hooks: [INBOUND, OUTBOUND] })],
  });
}

/**
 * A dependency that silently stops answering: every packet in and out of the service (or only
 * those exchanged with `peer`) is dropped, so connections hang until the client's own timeout —
 * unlike a stopped container, which refuses at once. Its own healthcheck (loopback) still passes.
 */
export const networkBlackhole = defineFault({
  type: 'network.blackhole',
  phase: 'runtime',
  summary:
    'Drop every packet to and from a service (or only its traffic with `peer`): connections hang instead of failing fast. Restorable.',
  params,
  services: (p) => [p.service, ...(p.peer ? [p.peer] : [])],
  async inject(ctx, p) {
    await runningTarget(ctx, p.service, 'a network fault acts on a running container');
    const script = installChainScript({
      chain: chainOf(p),
      hooks: [INBOUND, OUTBOUND],
      rules: (ip) => (ip ? [`-s ${ip} -j DROP`, `-d ${ip} -j DROP`] : ['-j DROP']),
      service: p.service,
      ...(p.peer ? { peer: p.peer } : {}),
    });
    await runFaultHelper(ctx, {
      type: 'network.blackhole',
      service: p.service,
      network: true,
      command: ['sh', '-c', script],
    });
    return p.peer ? `black-holed the traffic between ${p.service} and ${p.peer}` : `black-holed ${p.service}`;
  },
  restore: { undo: (ctx, p) => undo(ctx, p) },
});
