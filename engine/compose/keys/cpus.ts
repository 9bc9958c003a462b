/** `cpus`: the container's CPU limit, as a share of CPUs (`0.5` = half of one). */
import type { ServiceKey } from './service-key.js';

export const cpusKey: ServiceKey = {
  keys: ['cpus'],
  build({ raw, at, ctx }) {
    if (raw.cpus === undefined) return {};
    const cpus = typeof raw.cpus === 'number' ? raw.cpus : typeof raw.cpus === 'string' ? Number(raw.cpus) : NaN;
    // Docker's own floor is 0.01 CPU; the ceiling is the engine's CPU count, which only it knows.
    if (!Number.isFinite(cpus) || cpus < 0.01 || cpus > 64) {
      ctx.out.error([...at, 'cpus'], `expected a number of CPUs like 0.5 or 2, got ${JSON.stringify(raw.cpus)}`);
      return {};
    }
    return { cpus };
  },
};
