/**
 * Deploying a recorded release again, as the probes that act on a redeploy do (`deploy.hold`,
 * `deploy.sql`, `release.forward` and its undo): the release's own plan with the images it
 * recorded pinned, so nothing is rebuilt and the workspace's later edits do not leak in.
 */
import { deployLab, type DeployOptions, type DeployResult } from '../deploy/deploy.js';
import type { Lab } from '../deploy/lab.js';
import type { ProgressListener } from '../deploy/progress.js';
import { readReleases, type Release } from '../deploy/releases.js';
import type { Runtime } from '../runtime/runtime.js';

export interface RedeployOptions {
  lab: Lab;
  runtime: Runtime;
  onProgress?: ProgressListener;
}

/** The release the lab runs now (the last one recorded). */
export async function runningRelease(stateDir: string): Promise<Release> {
  const release = (await readReleases(stateDir)).at(-1);
  if (!release) throw new Error('the lab has no release to redeploy');
  return release;
}

/** Deploys `release` again. Not interruptible: a redeploy stopped half-way would leave the lab half-replaced. */
export function redeploy(
  options: RedeployOptions,
  release: Release,
  how: Pick<DeployOptions, 'recreateAll' | 'holds'> = {},
): Promise<DeployResult> {
  const pinned = Object.fromEntries(Object.entries(release.images).map(([service, image]) => [service, image.id]));
  return deployLab({
    lab: options.lab,
    plan: release.plan,
    runtime: options.runtime,
    pinned,
    ...how,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
