/**
 * The lab network pool (engine/runtime/subnet-pool.ts): small subnets, never overlapping a
 * Docker network or a local interface, configurable, and a clear message when it is full.
 */
import { describe, expect, it } from 'vitest';
import { cidrRange, pickSubnet, poolExhausted, subnetPool, takenSubnets } from '../../engine/runtime/subnet-pool.js';

describe('lab network pool', () => {
  it('defaults to /27 subnets of 10.213.0.0/16, and can be handed back to Docker', () => {
    expect(subnetPool({})).toMatchObject({ prefix: 16, size: 27, text: '10.213.0.0/16' });
    expect(subnetPool({ BREAKFIX_NETWORK_POOL: '10.99.0.0/20', BREAKFIX_NETWORK_SIZE: '28' })).toMatchObject({
      prefix: 20,
      size: 28,
    });
    expect(subnetPool({ BREAKFIX_NETWORK_POOL: 'docker' })).toBe(undefined);
  });

  it('refuses a pool it cannot use, saying what to set', () => {
    expect(() => subnetPool({ BREAKFIX_NETWORK_POOL: '10.213.0.0' })).toThrow(/BREAKFIX_NETWORK_POOL/);
    expect(() => subnetPool({ BREAKFIX_NETWORK_POOL: '10.213.0.0/24', BREAKFIX_NETWORK_SIZE: '20' })).toThrow(
      /not a usable pool/,
    );
    expect(() => subnetPool({ BREAKFIX_NETWORK_SIZE: '31' })).toThrow(/not a usable pool/);
  });

  it('takes the first subnet that overlaps nothing in use', () => {
    const pool = subnetPool({})!;
    expect(pickSubnet(pool, [])).toBe('10.213.0.0/27');
    expect(pickSubnet(pool, ['10.213.0.0/27'])).toBe('10.213.0.32/27');
    // A wider network in use covers several candidates; a host address inside one blocks it.
    expect(pickSubnet(pool, ['10.213.0.0/26', '10.213.0.70/32'])).toBe('10.213.0.96/27');
    // A network that contains the whole pool leaves nothing.
    expect(pickSubnet(pool, ['10.0.0.0/8'])).toBe(undefined);
    // IPv6 and garbage are not IPv4 ranges to avoid.
    expect(pickSubnet(pool, ['fd00::/64', 'nonsense'])).toBe('10.213.0.0/27');
  });

  it('hands out every subnet of the pool once, then says what to change', () => {
    const pool = subnetPool({ BREAKFIX_NETWORK_POOL: '10.99.0.0/21' })!;
    const taken: string[] = [];
    for (let index = 0; index < 64; index += 1) {
      const subnet = pickSubnet(pool, taken);
      expect(subnet).toBeDefined();
      taken.push(subnet as string);
    }
    expect(new Set(taken).size).toBe(64);
    expect(pickSubnet(pool, taken)).toBe(undefined);
    expect(poolExhausted(pool).message).toMatch(/no free \/27 subnet left in 10\.99\.0\.0\/21 .*\(64 in the pool/);
    expect(poolExhausted(pool).hint).toMatch(/BREAKFIX_NETWORK_POOL=.*BREAKFIX_NETWORK_SIZE=28/);
    // The default pool: 2048 lab networks, far beyond the ~30 of Docker's default pools.
    expect(poolExhausted(subnetPool({})!).message).toMatch(/\(2048 in the pool/);
  });

  it('reads the subnets Docker reports in use, and this machine’s own', () => {
    const taken = takenSubnets([{ IPAM: { Config: [{ Subnet: '172.17.0.0/16' }] } }, { IPAM: { Config: null } }, {}]);
    expect(taken).toContain('172.17.0.0/16');
    expect(taken).toContain('127.0.0.0/8');
    expect(cidrRange('10.213.0.37/27')).toEqual(cidrRange('10.213.0.32/27'));
  });
});
