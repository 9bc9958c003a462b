/**
 * Lab networks come from breakfix's pool (engine/runtime/subnet-pool.ts), not Docker's default
 * pools, which hold about 30 bridge networks: 40 lab networks created at once (the way 40 labs
 * starting together create them) all get distinct small subnets, none overlapping another
 * network of the engine. Only this test's networks (its own session label) are removed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teardownLab } from '../../engine/deploy/teardown.js';
import { getDockerode } from '../../engine/runtime/docker-client.js';
import { connectRuntime, LABELS, type DockerRuntime } from '../../engine/runtime/index.js';
import { cidrRange } from '../../engine/runtime/subnet-pool.js';

const session = `test-netpool-${randomUUID().slice(0, 8)}`;
const COUNT = 40;
let runtime: DockerRuntime;

beforeAll(async () => {
  runtime = await connectRuntime();
});

afterAll(async () => {
  await teardownLab(runtime, session).catch(() => undefined);
});

describe('lab networks from the breakfix pool', () => {
  it(`creates ${COUNT} lab networks at once, each a distinct /27 of 10.213.0.0/16 overlapping nothing`, async () => {
    const labels = { [LABELS.session]: session, [LABELS.managed]: 'true' };
    await Promise.all(
      Array.from({ length: COUNT }, (_, index) => runtime.createNetwork(`bf-${session}-n${index}`, labels)),
    );
    const docker = await getDockerode();
    const all = (await docker.listNetworks()) as Array<{
      Name: string;
      Labels?: Record<string, string>;
      IPAM?: { Config?: Array<{ Subnet?: string }> };
    }>;
    const ours = all.filter((network) => network.Labels?.[LABELS.session] === session);
    expect(ours).toHaveLength(COUNT);
    const subnets = ours.map((network) => network.IPAM?.Config?.[0]?.Subnet ?? '');
    for (const subnet of subnets) expect(subnet).toMatch(/^10\.213\.\d+\.\d+\/27$/);
    expect(new Set(subnets).size).toBe(COUNT);
    // No overlap with any other network of the engine (other labs, other users).
    const others = all
      .filter((network) => network.Labels?.[LABELS.session] !== session)
      .flatMap((network) => network.IPAM?.Config ?? [])
      .map((config) => cidrRange(config.Subnet ?? ''))
      .filter((range) => range !== undefined);
    for (const subnet of subnets) {
      const mine = cidrRange(subnet)!;
      expect(others.some((range) => range.first <= mine.last && mine.first <= range.last)).toBe(false);
    }
    // Creating an existing lab network again is a no-op, as before.
    await runtime.createNetwork(`bf-${session}-n0`, labels);
  }, 120_000);
});
