/** `user`: who the container's process runs as (the image's USER when absent). */
import type { ServiceKey } from './service-key.js';

export const userKey: ServiceKey = {
  keys: ['user'],
  build: ({ raw }) => (typeof raw.user === 'string' ? { user: raw.user } : {}),
};
