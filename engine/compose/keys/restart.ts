/** `restart`: no, always, on-failure[:N], unless-stopped. */
import { didYouMean } from '../../source/suggest.js';
import type { RestartPolicy } from '../plan.js';
import type { ServiceKey } from './service-key.js';

const RESTART_POLICIES = ['no', 'always', 'on-failure', 'unless-stopped'] as const;

export const restartKey: ServiceKey = {
  keys: ['restart'],
  build({ raw, at, ctx }) {
    if (typeof raw.restart !== 'string') return {};
    const onFailure = /^on-failure:(\d+)$/.exec(raw.restart);
    if (onFailure) return { restart: 'on-failure', restartMaxRetries: Number(onFailure[1]) };
    if ((RESTART_POLICIES as readonly string[]).includes(raw.restart)) return { restart: raw.restart as RestartPolicy };
    ctx.out.error(
      [...at, 'restart'],
      `expected one of no, always, on-failure[:N], unless-stopped, got ${JSON.stringify(raw.restart)}${didYouMean(raw.restart, RESTART_POLICIES)}`,
    );
    return {};
  },
};
