/**
 * The `release.forward` perturbation: after a rollback, deploy again the release the lab rolled
 * back from — its images and configuration, as recorded — and undo it by redeploying the
 * running release. What a team does once the bug that caused the rollback is fixed; a probe
 * asks whether the data written in between survives that (a rollback that only works one way
 * is half a rollback). The release history is not touched: a probe is not a deploy.
 */
import { readReleases, type Release } from '../deploy/releases.js';
import { redeploy, type RedeployOptions } from './redeploy.js';

export interface ReleaseDeployOptions extends RedeployOptions {
  stateDir: string;
}

/** Rolls forward; returns what was done and the release number that undoing redeploys. */
export async function rollForward(options: ReleaseDeployOptions): Promise<{ done: string; running: number }> {
  const releases = await readReleases(options.stateDir);
  const running = releases.at(-1);
  if (!running || running.kind !== 'rollback')
    throw new Error('the running release is not a rollback, so there is nothing to roll forward to');
  const previous = releases.at(-2) as Release;
  await redeploy(options, previous);
  return { done: `rolled forward to release ${previous.number}`, running: running.number };
}

/** Puts the running release back (the undo of `rollForward`). */
export async function redeployRelease(options: ReleaseDeployOptions, number: number): Promise<void> {
  const release = (await readReleases(options.stateDir)).find((entry) => entry.number === number);
  if (!release) throw new Error(`release ${number} is not in the history`);
  await redeploy(options, release);
}
