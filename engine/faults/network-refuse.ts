import { z } from 'zod';
import { portParam } from '../params/range.js';
import { serviceParam } from '../params/service.js';
import { defineFault, type FaultContext } from './fault.js';
import { faultKey, runNetworkScript, runningTarget, undoNetworkScript } from './fault-helper.js';
import { installChainScript, removeChainScript, type Hook } from './network-rules.js';

const params = z.strictObject({
  service: serviceParam,
  port: portParam.optional().meta({
    description:
      'Only connections to this container port; every TCP port otherwise (the usual choice: no port to guess).',
  }),
});
type Params = z.infer<typeof params>;

/**
 * Loopback included, unlike the other network faults: this one stands for the process no longer
 * answering, so the container's own healthcheck must see it too — which is what a probe of an
 * honest healthcheck wants (`|| true` stays green, a real check turns red).
 */
const EVERY_INBOUND: Hook = { chain: 'INPUT', match: '-p tcp' };

const chainOf = (p: Params) => `BF-RF-${faultKey('network.refuse', { service: p.service, port: p.port ?? null })}`;

const undo = (ctx: FaultContext, p: Params) =>
  undoNetworkScript(ctx, 'network.refuse', p.service, removeChainScript({ chain: chainOf(p), hooks: [EVERY_INBOUND] }));

/**
 * A server that stops answering while its process runs on: every new TCP connection to the
 * service (or to one of its ports) is refused at once with a reset, from the other services,
 * the published port and the container itself. Connections already open carry on. Fails fast,
 * unlike network.blackhole (a hang until the client's timeout): a healthcheck turns red after
 * its retries, not after retries × timeout.
 */
export const networkRefuse = defineFault({
  type: 'network.refuse',
  phase: 'runtime',
  summary:
    'Refuse every new TCP connection to a service (or to one port), loopback included: the process runs on, yet nobody — its own healthcheck neither — gets an answer. Restorable.',
  params,
  services: (p) => [p.service],
  async inject(ctx, p) {
    await runningTarget(ctx, p.service, 'a network fault acts on a running container');
    const port = p.port === undefined ? '' : ` --dport ${p.port}`;
    const script = installChainScript({
      chain: chainOf(p),
      hooks: [EVERY_INBOUND],
      rules: () => [`-p tcp --syn${port} -j REJECT --reject-with tcp-reset`],
      service: p.service,
    });
    await runNetworkScript(ctx, 'network.refuse', p.service, script);
    return p.port === undefined
      ? `${p.service} refuses every new connection`
      : `${p.service} refuses new connections to port ${p.port}`;
  },
  restore: { undo: (ctx, p) => undo(ctx, p) },
});
