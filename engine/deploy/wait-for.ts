/**
 * Waits for a `depends_on` condition the way Compose does, by polling the container's state.
 * Deliberately not a testcontainers wait strategy: on failure those remove the container, and a
 * learner must still be able to read the logs of the database that never became healthy.
 */
import type { DependsOnCondition, HealthcheckPlan } from '../compose/plan.js';
import type { Runtime } from '../runtime/runtime.js';

export type WaitResult = { ok: true } | { ok: false; reason: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `service_healthy` does not wait for Docker's own probe alone. Docker runs the first probe one
 * `interval` after the start and then once per interval (1 s in the labs; `start_interval`
 * needs Docker 25), so a database ready at 2.1 s is called healthy at 3 s, and everything
 * behind it starts up to an interval late. While Docker still says `starting`, the engine runs
 * the very same healthcheck command itself with `exec`, every PROBE_INTERVAL_MS: exit 0 is the
 * verdict Docker's next probe would give, so the dependents start now. Only a success counts;
 * failures, retries and `unhealthy` stay Docker's to decide, and Docker's status remains what
 * the learner and the checks see.
 */
export const PROBE_INTERVAL_MS = 250;
/** Our probe gives up sooner than Docker might: a slow answer is inconclusive, never a failure. */
const PROBE_TIMEOUT_CAP_MS = 5_000;
/**
 * Own probes running at once in this process. An exec costs dockerd, containerd and runc some
 * 50–100 ms of CPU: 20 labs starting together on 2 cores must not spend it 80 times a second.
 * Beyond the slots, waits fall back to Docker's cadence.
 */
const PROBE_SLOTS = 2;
let probesRunning = 0;

/** The command Docker runs for a healthcheck test, as an exec argv; undefined for NONE or an empty test. */
export function probeCommand(test: string[]): string[] | undefined {
  const [kind, ...rest] = test;
  if (kind === 'CMD' && rest.length > 0) return rest;
  if (kind === 'CMD-SHELL' && rest.length > 0) return ['/bin/sh', '-c', rest.join(' ')];
  return undefined;
}

/** One probe at a time per container id, shared by everything waiting on it (migrate and api both wait for db). */
const probes = new Map<string, { startedAt: number; result: Promise<boolean> }>();

/**
 * True when the healthcheck command exited 0 in a probe started at most PROBE_INTERVAL_MS ago
 * (or now); false when it failed, erred, timed out, or no slot was free.
 */
async function probe(runtime: Runtime, container: string, command: string[], timeoutMs: number): Promise<boolean> {
  const recent = probes.get(container);
  if (recent && Date.now() - recent.startedAt < PROBE_INTERVAL_MS) return recent.result;
  if (probesRunning >= PROBE_SLOTS) return false;
  probesRunning += 1;
  const result = runtime
    .exec(container, command, { timeoutMs: Math.min(timeoutMs, PROBE_TIMEOUT_CAP_MS) })
    .then(
      (outcome) => outcome.exitCode === 0,
      () => false,
    )
    .finally(() => {
      probesRunning -= 1;
    });
  probes.set(container, { startedAt: Date.now(), result });
  const healthy = await result;
  // Forget it once it is stale, so the map never outlives the waits.
  setTimeout(() => {
    if (probes.get(container)?.result === result) probes.delete(container);
  }, PROBE_INTERVAL_MS).unref();
  return healthy;
}

/**
 * @param healthcheck the upstream service's healthcheck as compose declares it (for its timeout);
 *   the command itself is read from the container, i.e. what Docker runs.
 */
export async function waitForCondition(
  runtime: Runtime,
  container: string,
  service: string,
  condition: DependsOnCondition,
  timeoutMs: number,
  signal?: AbortSignal,
  healthcheck?: HealthcheckPlan | null,
): Promise<WaitResult> {
  if (condition === 'service_started') return { ok: true };
  const deadline = Date.now() + timeoutMs;
  let nextProbeAt = 0;
  for (;;) {
    if (signal?.aborted) return { ok: false, reason: 'interrupted' };
    const state = await runtime.inspectContainer(container);
    if (!state) return { ok: false, reason: `${service} has no container` };
    if (condition === 'service_completed_successfully') {
      if (!state.running && state.status === 'exited') {
        return state.exitCode === 0
          ? { ok: true }
          : { ok: false, reason: `${service} exited with code ${state.exitCode}` };
      }
      if (state.status === 'created') return { ok: false, reason: `${service} was never started` };
    } else {
      if (state.health === 'healthy') return { ok: true };
      if (state.health === 'none') return { ok: false, reason: `${service} has no healthcheck to wait for` };
      if (state.health === 'unhealthy')
        return {
          ok: false,
          reason: `${service} is unhealthy${state.healthLog.length ? ` (${state.healthLog.at(-1)})` : ''}`,
        };
      if (!state.running && state.status !== 'restarting')
        return { ok: false, reason: `${service} exited with code ${state.exitCode}` };
      const command = probeCommand(state.healthcheck);
      if (state.running && state.health === 'starting' && command && Date.now() >= nextProbeAt) {
        nextProbeAt = Date.now() + PROBE_INTERVAL_MS;
        // By id: a container recreated under the same name is another container.
        if (await probe(runtime, state.id, command, healthcheck?.timeoutMs ?? 30_000)) return { ok: true };
      }
    }
    if (Date.now() > deadline)
      return {
        ok: false,
        reason: `${service} did not become ${condition === 'service_healthy' ? 'healthy' : 'complete'} within ${Math.round(timeoutMs / 1000)}s`,
      };
    await sleep(100);
  }
}

/**
 * `docker compose up --wait`: a started service has settled when its healthcheck has given a
 * verdict, or it runs without one, or it has stopped (a crash is a settled, visible state).
 * Waiting here lets a check right after `apply` judge the lab, not its boot.
 */
export async function waitUntilSettled(
  runtime: Runtime,
  container: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!signal?.aborted && Date.now() < deadline) {
    const state = await runtime.inspectContainer(container);
    if (!state || !state.running || state.health !== 'starting') return;
    await sleep(100);
  }
}
