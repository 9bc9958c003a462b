/**
 * The address pool lab networks are carved from.
 *
 * Docker's default address pools (172.17–31.0.0/16 and 192.168.0.0/16, in /16 and /20 blocks)
 * hold about 30 bridge networks, and every lab takes one — more when its compose file declares
 * networks — so the 31st lab on an engine failed with "could not find an available,
 * non-overlapping IPv4 address pool". A lab needs a handful of addresses, so each lab network
 * gets a small subnet (a /27: 29 containers) from a pool breakfix manages: 10.213.0.0/16 by
 * default, 2048 networks. The pool is configurable (BREAKFIX_NETWORK_POOL, BREAKFIX_NETWORK_SIZE;
 * `BREAKFIX_NETWORK_POOL=docker` leaves the choice to Docker's own pools), and a subnet is
 * never taken when it overlaps a Docker network or an address of this machine's interfaces.
 *
 * Hand-written because it is 40 lines of IPv4 arithmetic; the npm CIDR libraries do far more.
 */
import os from 'node:os';
import { environmentError } from '../errors.js';

export const DEFAULT_POOL = '10.213.0.0/16';
export const DEFAULT_SIZE = 27;

export interface SubnetPool {
  /** First address of the pool, as an unsigned 32-bit number. */
  base: number;
  /** Prefix length of the pool (16 for a /16). */
  prefix: number;
  /** Prefix length of each lab network (27 for a /27). */
  size: number;
  /** The pool as written, for messages. */
  text: string;
}

interface Range {
  first: number;
  last: number;
}

function parseIp(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

const formatIp = (value: number) => [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');

/** An IPv4 CIDR as an address range; undefined for anything else (IPv6 subnets are not ours to avoid). */
export function cidrRange(cidr: string): Range | undefined {
  const [ip, bits] = cidr.trim().split('/');
  const address = parseIp(ip ?? '');
  const prefix = Number(bits);
  if (address === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const block = 2 ** (32 - prefix);
  const first = Math.floor(address / block) * block;
  return { first, last: first + block - 1 };
}

/** The pool from the environment; undefined when Docker's own pools are asked for. */
export function subnetPool(env: NodeJS.ProcessEnv = process.env): SubnetPool | undefined {
  const text = env.BREAKFIX_NETWORK_POOL?.trim() || DEFAULT_POOL;
  if (text === 'docker') return undefined;
  const sizeText = env.BREAKFIX_NETWORK_SIZE?.trim() || String(DEFAULT_SIZE);
  const range = cidrRange(text);
  const prefix = Number(text.split('/')[1]);
  const size = Number(sizeText);
  if (!range || !Number.isInteger(size) || size < prefix || size > 29)
    throw environmentError(
      `BREAKFIX_NETWORK_POOL=${text} with BREAKFIX_NETWORK_SIZE=${sizeText} is not a usable pool`,
      'set BREAKFIX_NETWORK_POOL to an IPv4 CIDR such as 10.213.0.0/16 and BREAKFIX_NETWORK_SIZE to a prefix between its own and 29 (default 27), or BREAKFIX_NETWORK_POOL=docker',
    );
  return { base: range.first, prefix, size, text };
}

/** The subnets of this machine's interfaces (the LAN, a VPN): a lab subnet must not shadow them. */
export function hostRanges(): Range[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .flatMap((entry) => (entry && entry.family === 'IPv4' && entry.cidr ? [cidrRange(entry.cidr)] : []))
    .filter((range): range is Range => range !== undefined);
}

/** The first subnet of the pool that overlaps none of `taken`, or undefined when the pool is full. */
export function pickSubnet(pool: SubnetPool, taken: readonly string[]): string | undefined {
  const used = taken.map(cidrRange).filter((range): range is Range => range !== undefined);
  const block = 2 ** (32 - pool.size);
  const count = 2 ** (pool.size - pool.prefix);
  for (let index = 0; index < count; index += 1) {
    const first = pool.base + index * block;
    const last = first + block - 1;
    if (!used.some((range) => range.first <= last && first <= range.last)) return `${formatIp(first)}/${pool.size}`;
  }
  return undefined;
}

/** Every IPv4 range in use by a Docker network (from `GET /networks`) or a local interface. */
export function takenSubnets(networks: ReadonlyArray<{ IPAM?: { Config?: Array<{ Subnet?: string }> | null } }>) {
  const fromDocker = networks.flatMap((network) =>
    (network.IPAM?.Config ?? []).flatMap((config) => (config.Subnet ? [config.Subnet] : [])),
  );
  const fromHost = hostRanges().map(
    (range) => `${formatIp(range.first)}/${32 - Math.log2(range.last - range.first + 1)}`,
  );
  return [...fromDocker, ...fromHost];
}

/** The pool is exhausted: what to change, in the message. */
export function poolExhausted(pool: SubnetPool) {
  const count = 2 ** (pool.size - pool.prefix);
  return environmentError(
    `no free /${pool.size} subnet left in ${pool.text} for a lab network (${count} in the pool, all in use by Docker networks or local interfaces)`,
    `stop labs you no longer need (\`breakfix gc\` removes dead sessions' networks), or give breakfix a larger pool: BREAKFIX_NETWORK_POOL=10.213.0.0/15 (or any free IPv4 range), or smaller networks: BREAKFIX_NETWORK_SIZE=28`,
  );
}
