import { z } from 'zod';
import { defineFault, type FaultContext } from './fault.js';
import { faultKey, runNetworkScript, runningTarget, undoNetworkScript } from './fault-helper.js';
import { INBOUND, installChainScript, OUTBOUND, peerParam, removeChainScript } from './network-rules.js';
import { serviceParam } from '../params/service.js';

const params = z.strictObject({ service: serviceParam, peer: peerParam });
type Params = z.infer<typeof params>;

const chainOf = (p: Params) => `BF-BH-${faultKey('network.blackhole', { service: p.service, peer: p.peer ?? null })}`;

const undo = (ctx: FaultContext, p: Params) =>
  undoNetworkScript(
    ctx,
    'network.blackhole',
    p.service,
    removeChainScript({ chain: chainOf(p), hooks: [INBOUND, OUTBOUND] }),
  );

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
    await runNetworkScript(ctx, 'network.blackhole', p.service, script);
    return p.peer ? `black-holed the traffic between ${p.service} and ${p.peer}` : `black-holed ${p.service}`;
  },
  restore: { undo: (ctx, p) => undo(ctx, p) },
});
