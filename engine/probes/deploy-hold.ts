/**
 * The `deploy.hold` perturbation: redeploy the running release from scratch (every service
 * recreated, data volumes kept), holding one service's program back right after its container
 * starts (held-start.ts). A service that truly waits for it (a `depends_on` condition) starts
 * after the hold; one that only happened to start later because the held service was quick
 * starts during it — which a check such as `startedAfter` then sees in Docker's own timestamps.
 */
import { deployLab } from '../deploy/deploy.js';
import type { Lab } from '../deploy/lab.js';
import type { ProgressListener } from '../deploy/progress.js';
import { readReleases } from '../deploy/releases.js';
import type { Runtime } from '../runtime/runtime.js';

export interface HoldOptions {
  lab: Lab;
  runtime: Runtime;
  stateDir: string;
  service: string;
  forMs: number;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
}

/** Redeploys the last release while holding `service`; returns how the hold went. */
export async function redeployHolding(options: HoldOptions): Promise<{ held: boolean; detail: string }> {
  const release = (await readReleases(options.stateDir)).at(-1);
  if (!release) throw new Error('the lab has no release to redeploy');
  if (!release.plan.services[options.service]) {
    return { held: false, detail: `the running release has no ${options.service} service` };
  }
  const pinned = Object.fromEntries(Object.entries(release.images).map(([service, image]) => [service, image.id]));
  const { services } = await deployLab({
    lab: options.lab,
    plan: release.plan,
    runtime: options.runtime,
    pinned,
    recreateAll: true,
    holds: { [options.service]: options.forMs },
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const deployed = services[options.service];
  if (!deployed || deployed.outcome !== 'recreated')
    return { held: false, detail: `${options.service} was not started by the redeploy` };
  if (deployed.heldMs === undefined)
    return { held: false, detail: `${options.service} could not be held: its image names no program to run` };
  return { held: true, detail: `held ${options.service} for ${options.forMs / 1000} s after it started` };
}
