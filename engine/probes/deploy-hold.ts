/**
 * The `deploy.hold` perturbation: redeploy the running release from scratch (every service
 * recreated, data volumes kept), freezing one service right after it starts. A service that
 * truly waits for it (a `depends_on` condition) starts after the hold; one that only happened
 * to start later because the held service was quick starts during it — which a check such as
 * `startedAfter` then sees in Docker's own timestamps.
 */
import { deployLab } from '../deploy/deploy.js';
import type { Lab } from '../deploy/lab.js';
import type { ProgressListener } from '../deploy/progress.js';
import { readReleases } from '../deploy/releases.js';
import type { Runtime } from '../runtime/runtime.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Freezes a container, riding out the cgroup freezer's transient "unable to freeze". */
async function freeze(runtime: Runtime, container: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await runtime.pauseContainer(container);
      return;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= 5 || !/unable to freeze/i.test(message)) throw error;
      await sleep(100);
    }
  }
}

/**
 * Freezes a container that just started for `ms`, then thaws it. Resolves to why it could not
 * be held (a job that had already finished), or undefined once the hold is over.
 */
export async function holdContainer(runtime: Runtime, container: string, ms: number): Promise<string | undefined> {
  try {
    await freeze(runtime, container);
  } catch (error) {
    const state = await runtime.inspectContainer(container);
    return state && !state.running ? `it had already ${state.status}` : String(error);
  }
  await sleep(ms);
  await runtime.unpauseContainer(container);
  return undefined;
}

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
  let hold: Promise<{ held: boolean; detail: string }> | undefined;
  const pinned = Object.fromEntries(Object.entries(release.images).map(([service, image]) => [service, image.id]));
  await deployLab({
    lab: options.lab,
    plan: release.plan,
    runtime: options.runtime,
    pinned,
    recreateAll: true,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onStarted: (service, container) => {
      if (service !== options.service) return;
      // A job that already finished cannot be held: the ordering was not put to the test.
      hold = holdContainer(options.runtime, container, options.forMs).then((failure) =>
        failure === undefined
          ? { held: true, detail: `held ${options.service} for ${options.forMs / 1000} s after it started` }
          : { held: false, detail: `${options.service} could not be held: ${failure}` },
      );
    },
  });
  return (await hold) ?? { held: false, detail: `${options.service} was not started by the redeploy` };
}
