/**
 * Top-level volume `driver_opts`: only a size-limited tmpfs volume (`type: tmpfs`, `device:
 * tmpfs`, `o: size=64m[,mode=…,uid=…,gid=…]`) — what a "disk full" lab needs. Any other driver
 * option would reach the host (a bind of a host folder, an NFS server) and is refused.
 */
import { isDict, type Dict } from '../source/dict.js';
import { parseBytes } from '../util/bytes.js';
import type { PlanContext } from './context.js';
import { BIND_MOUNT_REASON } from './keys/volumes.js';
import { scalarString } from './values.js';

const TMPFS_OPTIONS = /^(size|mode|uid|gid|nr_inodes)=[0-9a-zA-Z]+$/;

export function buildVolumeDrivers(file: Dict, ctx: PlanContext): Record<string, Record<string, string>> {
  const drivers: Record<string, Record<string, string>> = {};
  if (!isDict(file.volumes)) return drivers;
  for (const [name, raw] of Object.entries(file.volumes)) {
    if (!isDict(raw) || raw.driver_opts === undefined) continue;
    const at = ['volumes', name, 'driver_opts'];
    if (!isDict(raw.driver_opts)) continue;
    const opts = Object.fromEntries(
      Object.entries(raw.driver_opts).map(([key, value]) => [key, scalarString(value) ?? '']),
    );
    const type = opts.type ?? '';
    if (type === 'none' || /(^|,)r?bind(,|$)/.test(opts.o ?? '')) {
      ctx.out.error(at, BIND_MOUNT_REASON);
      continue;
    }
    if (type !== 'tmpfs') {
      ctx.out.error(
        [...at, ...(opts.type === undefined ? [] : ['type'])],
        `only tmpfs volumes take driver options (type: tmpfs, device: tmpfs, o: size=…), got type ${JSON.stringify(type)}: other types would reach the host or the network`,
      );
      continue;
    }
    const unknown = Object.keys(opts).filter((key) => !['type', 'device', 'o'].includes(key));
    if (unknown.length > 0)
      ctx.out.error([...at, unknown[0] ?? ''], `not supported by breakfix (supported: type, device, o)`, 'key');
    if ((opts.device ?? 'tmpfs') !== 'tmpfs') ctx.out.error([...at, 'device'], 'a tmpfs volume has device: tmpfs');
    const options = (opts.o ?? '').split(',').filter(Boolean);
    const bad = options.find((option) => !TMPFS_OPTIONS.test(option));
    if (bad)
      ctx.out.error(
        [...at, 'o'],
        `tmpfs option ${JSON.stringify(bad)} is not supported (size, mode, uid, gid, nr_inodes)`,
      );
    const size = options.find((option) => option.startsWith('size='));
    if (!size || parseBytes(size.slice('size='.length)) === undefined)
      ctx.out.error([...at, ...(opts.o === undefined ? [] : ['o'])], 'a tmpfs volume needs a size, e.g. o: size=64m');
    drivers[name] = { type: 'tmpfs', device: 'tmpfs', o: options.join(',') };
  }
  return drivers;
}
