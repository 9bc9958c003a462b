/**
 * The `settings` line of `doctor`: the BREAKFIX_* variables that size what the engine does are
 * read where they are used (the first lab network, the first deploy). A typo there would surface
 * minutes into a run, as a failed deploy; doctor reads them all up front and says which is wrong.
 */
import { deploysAtOnce, DEPLOYS_AT_ONCE_ENV } from '../deploy/deploy-gate.js';
import { subnetPool } from '../runtime/subnet-pool.js';
import type { DoctorCheck } from './doctor.js';

export function settingsCheck(env: NodeJS.ProcessEnv = process.env): DoctorCheck {
  const read: string[] = [];
  const wrong: string[] = [];
  const attempt = (describe: () => string): void => {
    try {
      read.push(describe());
    } catch (error) {
      const { message, hint } = error as Error & { hint?: string };
      wrong.push(hint ? `${message} (${hint})` : message);
    }
  };
  attempt(() => {
    const pool = subnetPool(env);
    return pool ? `lab networks from ${pool.text} in /${pool.size} subnets` : "lab networks from Docker's own pools";
  });
  attempt(() => {
    const limit = deploysAtOnce(env);
    const set = env[DEPLOYS_AT_ONCE_ENV]?.trim() ? '' : ' (two per core)';
    return `${limit} lab deploys at once${set}`;
  });
  return wrong.length > 0
    ? { name: 'settings', ok: false, detail: wrong.join('; ') }
    : { name: 'settings', ok: true, detail: read.join(', ') };
}
