/**
 * The `deploy.hold` perturbation: redeploy the running release from scratch (every service
 * recreated, data volumes kept), holding one service's program back right after its container
 * starts (held-start.ts). A service that truly waits for it (a `depends_on` condition) starts
 * after the hold; one that only happened to start later because the held service was quick
 * starts during it — which a check such as `startedAfter` then sees in Docker's own timestamps.
 */
import { redeploy, runningRelease, type RedeployOptions } from './redeploy.js';

export interface HoldOptions extends RedeployOptions {
  stateDir: string;
  service: string;
  forMs: number;
}

/** Redeploys the last release while holding `service`; returns how the hold went. */
export async function redeployHolding(options: HoldOptions): Promise<{ held: boolean; detail: string }> {
  const release = await runningRelease(options.stateDir);
  if (!release.plan.services[options.service]) {
    return { held: false, detail: `the running release has no ${options.service} service` };
  }
  const { services } = await redeploy(options, release, {
    recreateAll: true,
    holds: { [options.service]: options.forMs },
  });
  const deployed = services[options.service];
  if (!deployed || deployed.outcome !== 'recreated')
    return { held: false, detail: `${options.service} was not started by the redeploy` };
  if (deployed.heldMs === undefined)
    return { held: false, detail: `${options.service} could not be held: its image names no program to run` };
  return { held: true, detail: `held ${options.service} for ${options.forMs / 1000} s after it started` };
}
