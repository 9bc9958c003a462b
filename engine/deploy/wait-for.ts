/**
 * Waits for a `depends_on` condition the way Compose does, by polling the container's state.
 * Deliberately not a testcontainers wait strategy: on failure those remove the container, and a
 * learner must still be able to read the logs of the database that never became healthy.
 */
import type { DependsOnCondition } from '../compose/plan.js';
import type { Runtime } from '../runtime/runtime.js';

export type WaitResult = { ok: true } | { ok: false; reason: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitForCondition(runtime: Runtime, container: string, service: string, condition: DependsOnCondition, timeoutMs: number, signal?: AbortSignal): Promise<WaitResult> {
  if (condition === 'service_started') return { ok: true };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) return { ok: false, reason: 'interrupted' };
    const state = await runtime.inspectContainer(container);
    if (!state) return { ok: false, reason: `${service} has no container` };
    if (condition === 'service_completed_successfully') {
      if (!state.running && state.status === 'exited') {
        return state.exitCode === 0 ? { ok: true } : { ok: false, reason: `${service} exited with code ${state.exitCode}` };
      }
      if (state.status === 'created') return { ok: false, reason: `${service} was never started` };
    } else {
      if (state.health === 'healthy') return { ok: true };
      if (state.health === 'none') return { ok: false, reason: `${service} has no healthcheck to wait for` };
      if (state.health === 'unhealthy') return { ok: false, reason: `${service} is unhealthy${state.healthLog.length ? ` (${state.healthLog.at(-1)})` : ''}` };
      if (!state.running && state.status !== 'restarting') return { ok: false, reason: `${service} exited with code ${state.exitCode}` };
    }
    if (Date.now() > deadline) return { ok: false, reason: `${service} did not become ${condition === 'service_healthy' ? 'healthy' : 'complete'} within ${Math.round(timeoutMs / 1000)}s` };
    await sleep(100);
  }
}

/**
 * `docker compose up --wait`: a started service has settled when its healthcheck has given a
 * verdict, or it runs without one, or it has stopped (a crash is a settled, visible state).
 * Waiting here lets a check right after `apply` judge the lab, not its boot.
 */
export async function waitUntilSettled(runtime: Runtime, container: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!signal?.aborted && Date.now() < deadline) {
    const state = await runtime.inspectContainer(container);
    if (!state || !state.running || state.health !== 'starting') return;
    await sleep(100);
  }
}
