/** `logging`: the log driver and its options (json-file unless said otherwise). */
import { isDict } from '../../source/dict.js';
import { scalarString } from '../values.js';
import type { ServiceKey } from './service-key.js';

export const loggingKey: ServiceKey = {
  keys: ['logging'],
  build({ raw }) {
    if (!isDict(raw.logging)) return {};
    const options: Record<string, string> = {};
    if (isDict(raw.logging.options)) {
      for (const [key, value] of Object.entries(raw.logging.options)) {
        const text = scalarString(value);
        if (text !== undefined) options[key] = text;
      }
    }
    return { logging: { driver: typeof raw.logging.driver === 'string' ? raw.logging.driver : 'json-file', options } };
  },
};
