/**
 * `networks`: the lab networks a service joins (default: the lab's `default` network), as a list
 * of names or a map of name → `{ aliases }`. Services reach each other by service name on every
 * network they share; a network a service is not on is out of its reach, as in Compose.
 */
import { isDict } from '../../source/dict.js';
import { didYouMean } from '../../source/suggest.js';
import type { NetworkAttachment } from '../plan.js';
import type { ServiceKey } from './service-key.js';

export const DEFAULT_NETWORK = 'default';

export const networksKey: ServiceKey = {
  keys: ['networks'],
  build({ raw, at, file, ctx }) {
    if (raw.networks === undefined) return {};
    const declared = [DEFAULT_NETWORK, ...(isDict(file.networks) ? Object.keys(file.networks) : [])];
    const entries: Array<[string, unknown, number | string]> = Array.isArray(raw.networks)
      ? raw.networks.map((name, index) => [String(name), null, index])
      : isDict(raw.networks)
        ? Object.entries(raw.networks).map(([name, value]) => [name, value, name])
        : [];
    const networks: NetworkAttachment[] = [];
    for (const [name, value, key] of entries) {
      const where = [...at, 'networks', key];
      if (!declared.includes(name)) {
        ctx.out.error(
          where,
          `network \`${name}\` is not declared under the top-level networks${didYouMean(name, declared)}`,
          Array.isArray(raw.networks) ? 'value' : 'key',
        );
        continue;
      }
      const aliases = isDict(value) && Array.isArray(value.aliases) ? value.aliases.map(String) : [];
      networks.push({ name, aliases });
    }
    if (entries.length === 0) ctx.out.error([...at, 'networks'], 'a service must join at least one network');
    return { networks };
  },
};
