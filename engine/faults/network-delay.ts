import { z } from 'zod';
import { formatDuration, durationSchema } from '../util/duration.js';
import { defineFault, FaultError, type FaultContext } from './fault.js';
import { faultKey, helperName, runningTarget, startFaultHelper, undoNetworkScript } from './fault-helper.js';
import { peerParam, removeChainScript } from './network-rules.js';
import { serviceParam } from '../params/service.js';

const params = z.strictObject({
  service: serviceParam,
  delay: durationSchema.meta({ description: 'Added to what the service sends, e.g. "2s".' }),
  jitter: durationSchema.default(0).meta({ description: 'Each delay varies by up to this much either way.' }),
  peer: peerParam,
});
type Params = z.infer<typeof params>;

const keyOf = (p: Params) => faultKey('network.delay', { service: p.service, peer: p.peer ?? null });
const chainOf = (p: Params) => `BF-DLY-${keyOf(p)}`;
const nameOf = (ctx: FaultContext, p: Params) => helperName(ctx, p.service, `delay-${keyOf(p)}`);

/** The proxy's nat hooks, as breakfix-delay-proxy installs them (labs/images/fault-helper). */
const NAT_HOOKS = (chain: string) => [
  { chain: 'PREROUTING', match: '! -i lo -p tcp', jump: `${chain}-I` },
  { chain: 'OUTPUT', match: '! -o lo -p tcp -m mark ! --mark 0x4246', jump: `${chain}-O` },
];

async function undo(ctx: FaultContext, p: Params): Promise<void> {
  // SIGTERM: the proxy takes its redirect rules out before it exits.
  const stopped = await ctx.runtime.stopHelper(nameOf(ctx, p), 5);
  if (stopped && stopped.exitCode === 0 && stopped.wasRunning) return;
  // It was killed, crashed or is gone: its rules may still send connections to a closed port.
  const script = NAT_HOOKS(chainOf(p))
    .map((hook) => removeChainScript({ chain: hook.jump, hooks: [hook], table: 'nat' }))
    .join('\n');
  await undoNetworkScript(ctx, 'network.delay', p.service, script);
}

/**
 * Latency on a service's TCP traffic: the handshake and everything the service sends arrive
 * `delay` late (inbound: its answers; outbound: its requests). The host kernel may lack
 * sch_netem (tc netem), so breakfix always uses its own TCP proxy in a helper container joined
 * to the service's network namespace: the same behaviour on every machine, which a grade needs.
 * Connections opened before the fault keep their speed; loopback is untouched.
 */
export const networkDelay = defineFault({
  type: 'network.delay',
  phase: 'runtime',
  summary:
    "Slow a service's TCP traffic (or only its traffic with `peer`): connections and answers arrive `delay` late. Restorable.",
  params,
  services: (p) => [p.service, ...(p.peer ? [p.peer] : [])],
  async inject(ctx, p) {
    await runningTarget(ctx, p.service, 'a network fault acts on a running container');
    if (p.jitter > p.delay)
      throw new FaultError(`network.delay: jitter (${p.jitter}ms) is larger than delay (${p.delay}ms)`);
    const command = [
      'breakfix-delay-proxy',
      '--delay-ms',
      String(p.delay),
      '--jitter-ms',
      String(p.jitter),
      '--chain',
      chainOf(p),
    ];
    if (p.peer) command.push('--peer', p.peer);
    await startFaultHelper(ctx, {
      type: 'network.delay',
      service: p.service,
      network: true,
      name: nameOf(ctx, p),
      command,
    });
    return `${p.service}'s traffic${p.peer ? ` with ${p.peer}` : ''} is delayed by ${formatDuration(p.delay)}`;
  },
  restore: { undo: (ctx, p) => undo(ctx, p) },
});
