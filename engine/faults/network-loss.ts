import { z } from 'zod';
import { defineFault, type FaultContext } from './fault.js';
import { faultKey, runNetworkScript, runningTarget, undoNetworkScript } from './fault-helper.js';
import { installChainScript, OUTBOUND, peerParam, removeChainScript } from './network-rules.js';
import { serviceParam } from '../params/service.js';

const params = z.strictObject({
  service: serviceParam,
  percent: z.number().gt(0).max(100).meta({ description: 'Share of the packets the service sends that are lost.' }),
  peer: peerParam,
});
type Params = z.infer<typeof params>;

const chainOf = (p: Params) =>
  `BF-LOSS-${faultKey('network.loss', { service: p.service, percent: p.percent, peer: p.peer ?? null })}`;

const undo = (ctx: FaultContext, p: Params) =>
  undoNetworkScript(ctx, 'network.loss', p.service, removeChainScript({ chain: chainOf(p), hooks: [OUTBOUND] }));

/**
 * Packet loss on the service's egress, like netem's `loss` (iptables' statistic match: it works
 * on kernels without sch_netem). TCP retransmits what is lost, so clients see latency spikes and
 * timeouts rather than errors; what the service sends over loopback is untouched.
 */
export const networkLoss = defineFault({
  type: 'network.loss',
  phase: 'runtime',
  summary:
    'Lose a share of the packets a service sends (or sends to `peer`): retransmits, latency spikes, timeouts. Restorable.',
  params,
  services: (p) => [p.service, ...(p.peer ? [p.peer] : [])],
  async inject(ctx, p) {
    await runningTarget(ctx, p.service, 'a network fault acts on a running container');
    const probability = (p.percent / 100).toFixed(4);
    const script = installChainScript({
      chain: chainOf(p),
      hooks: [OUTBOUND],
      rules: (ip) => [`${ip ? `-d ${ip} ` : ''}-m statistic --mode random --probability ${probability} -j DROP`],
      service: p.service,
      ...(p.peer ? { peer: p.peer } : {}),
    });
    await runNetworkScript(ctx, 'network.loss', p.service, script);
    return `${p.service} loses ${p.percent}% of the packets it sends${p.peer ? ` to ${p.peer}` : ''}`;
  },
  restore: { undo: (ctx, p) => undo(ctx, p) },
});
