/** `mem_limit`: the container's memory limit (breakfix's default applies when absent). */
import { parseBytes } from '../../util/bytes.js';
import type { ServiceKey } from './service-key.js';

export const memLimitKey: ServiceKey = {
  keys: ['mem_limit'],
  build({ raw, at, ctx }) {
    if (raw.mem_limit === undefined) return {};
    const bytes =
      typeof raw.mem_limit === 'string' || typeof raw.mem_limit === 'number' ? parseBytes(raw.mem_limit) : undefined;
    if (bytes === undefined) {
      ctx.out.error([...at, 'mem_limit'], `expected a size like "256m" or "1g", got ${JSON.stringify(raw.mem_limit)}`);
      return {};
    }
    return { memLimitBytes: bytes };
  },
};
