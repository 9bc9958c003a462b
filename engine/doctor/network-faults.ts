/**
 * Can this engine run the network faults? They act in a container's network namespace from
 * breakfix's fault helper (NET_ADMIN only): iptables for network.blackhole and network.loss, an
 * iptables redirect to breakfix's TCP delay proxy for network.delay. The proxy is used even
 * where the kernel has sch_netem (tc netem), so that a delay behaves — and grades — the same on
 * every machine; the report still says whether netem is there, since kernels without it (this
 * project's CI among them) are why the proxy exists.
 */
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { imageSpec } from '../images/catalogue.js';
import { runHelperContainer } from '../runtime/helper-container.js';
import { LABELS } from '../runtime/labels.js';
import type { DoctorCheck } from './doctor.js';

const PROBE = [
  'set -u',
  'ok=yes',
  'iptables -w 5 -N BF-PROBE && iptables -w 5 -A BF-PROBE -m statistic --mode random --probability 0.5 -j DROP || ok=no',
  'iptables -w 5 -t nat -N BF-PROBE && iptables -w 5 -t nat -A BF-PROBE -p tcp -j REDIRECT --to-ports 9 || ok=no',
  'echo "iptables=$ok"',
  'if tc qdisc add dev lo root netem delay 1ms 2>/dev/null; then echo netem=yes; else echo netem=no; fi',
].join('\n');

export function describeNetworkProbe(output: { exitCode: number; stdout: string; stderr: string }): DoctorCheck {
  const name = 'network faults';
  if (!/iptables=yes/.test(output.stdout))
    return {
      name,
      ok: false,
      detail: `iptables does not work in a container's network namespace here, so network.delay, network.loss and network.blackhole cannot run: ${(output.stderr || output.stdout).trim().split('\n').slice(-2).join(' ')}`,
    };
  const netem = /netem=yes/.test(output.stdout)
    ? 'tc netem is available too, unused so that a delay grades the same everywhere'
    : 'tc netem is missing from this kernel (sch_netem), which the proxy does not need';
  return {
    name,
    ok: true,
    detail: `iptables works in a lab container's namespace (network.blackhole, network.loss); network.delay uses breakfix's TCP delay proxy; ${netem}`,
  };
}

export async function probeNetworkFaults(docker: Dockerode): Promise<DoctorCheck> {
  try {
    const result = await runHelperContainer(
      docker,
      {
        name: `breakfix-doctor-net-${randomBytes(3).toString('hex')}`,
        image: imageSpec('fault-helper').tag,
        labels: { [LABELS.managed]: 'true' },
        command: ['sh', '-c', PROBE],
        capabilities: ['NET_ADMIN'],
      },
      20_000,
    );
    return describeNetworkProbe(result);
  } catch (error) {
    return { name: 'network faults', ok: false, detail: `the fault helper did not run: ${(error as Error).message}` };
  }
}
