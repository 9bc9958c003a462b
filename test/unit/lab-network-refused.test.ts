/**
 * A lab network whose subnet Docker refuses ("Pool overlaps with other one on this address
 * space": a network another session just removed, whose pool Docker has not released yet,
 * though it is gone from the list) is created on another subnet, not refused again and again.
 */
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { createLabNetwork } from '../../engine/runtime/lab-network.js';

describe('createLabNetwork', () => {
  it('does not ask again for a subnet Docker refused', async () => {
    const asked: string[] = [];
    const docker = {
      listNetworks: async () => [],
      createNetwork: async (options: { IPAM?: { Config?: Array<{ Subnet?: string }> } }) => {
        const subnet = options.IPAM?.Config?.[0]?.Subnet ?? '';
        asked.push(subnet);
        // The first free subnet is still held by a network removed a moment ago.
        if (subnet === asked[0])
          throw new Error('(HTTP code 403) unexpected - Pool overlaps with other one on this address space');
        return {};
      },
    } as unknown as Dockerode;
    await createLabNetwork(docker, { Name: 'bf-test-net', Labels: {} });
    expect(asked.length).toBe(2);
    expect(asked[1]).not.toBe(asked[0]);
  });
});
