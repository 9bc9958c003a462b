/**
 * Creating a lab network with a small subnet from breakfix's pool (subnet-pool.ts).
 *
 * The subnet is chosen from what Docker reports in use at that moment; two creations racing
 * for the same subnet (two labs starting at once, here or in another process) are told apart
 * by Docker, which refuses the second with "Pool overlaps with other one on this address
 * space": that one looks again and takes the next free subnet. Subnets being created by this
 * process are kept aside so that labs started together do not even collide.
 */
import type Dockerode from 'dockerode';
import { pickSubnet, poolExhausted, subnetPool, takenSubnets } from './subnet-pool.js';

const ATTEMPTS = 10;
const pending = new Set<string>();

const overlaps = (error: unknown) =>
  /overlaps with other one|address pool|conflicts with network/i.test(error instanceof Error ? error.message : '');

export async function createLabNetwork(
  docker: Dockerode,
  options: { Name: string; Labels: Record<string, string>; Internal?: boolean },
): Promise<void> {
  const create = (subnet?: string) =>
    docker.createNetwork({
      Name: options.Name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: options.Labels,
      ...(options.Internal ? { Internal: true } : {}),
      ...(subnet ? { IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] } } : {}),
    });
  const pool = subnetPool();
  if (!pool) {
    await create();
    return;
  }
  // Subnets Docker refused to this call. A network another session has just removed leaves the
  // list at once, but Docker releases its address pool a moment later: picking the lowest free
  // subnet again would ask for the same refused one on every attempt (the shared-engine soak
  // saw starts fail after all ten).
  const refused = new Set<string>();
  for (let attempt = 1; ; attempt += 1) {
    const networks = (await docker.listNetworks()) as Array<{ IPAM?: { Config?: Array<{ Subnet?: string }> } }>;
    const subnet = pickSubnet(pool, [...takenSubnets(networks), ...pending, ...refused]);
    if (!subnet) throw poolExhausted(pool);
    pending.add(subnet);
    try {
      await create(subnet);
      return;
    } catch (error) {
      if (!overlaps(error) || attempt >= ATTEMPTS) throw error;
      refused.add(subnet);
    } finally {
      pending.delete(subnet);
    }
  }
}
