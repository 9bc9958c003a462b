/**
 * What "the lab is back" means after a probe: every service that was running is running again,
 * and every one that was healthy is healthy again. Taken from the running containers before the
 * perturbation, so it holds for any valid fix (whatever services and healthchecks it has).
 */
import type { Runtime } from '../runtime/runtime.js';

export interface ServiceBaseline {
  service: string;
  container: string;
  healthy: boolean;
}

export async function takeBaseline(
  runtime: Runtime,
  services: Array<{ service: string; container: string }>,
): Promise<ServiceBaseline[]> {
  const states = await Promise.all(
    services.map(async (entry) => ({ ...entry, state: await runtime.inspectContainer(entry.container) })),
  );
  return states
    .filter((entry) => entry.state?.running)
    .map((entry) => ({
      service: entry.service,
      container: entry.container,
      healthy: entry.state?.health === 'healthy',
    }));
}

/** Services not (yet) back to their baseline, described for a message. */
async function laggards(runtime: Runtime, baseline: ServiceBaseline[]): Promise<string[]> {
  const out: string[] = [];
  for (const entry of baseline) {
    const state = await runtime.inspectContainer(entry.container);
    if (!state) out.push(`${entry.service} is gone`);
    else if (!state.running) out.push(`${entry.service} is ${state.status}`);
    else if (entry.healthy && state.health !== 'healthy') out.push(`${entry.service} is ${state.health}`);
  }
  return out;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** Waits until the baseline holds again; returns what still lags when the time is up. */
export async function waitForBaseline(
  runtime: Runtime,
  baseline: ServiceBaseline[],
  withinMs: number,
  signal?: AbortSignal,
): Promise<{ ok: true; ms: number } | { ok: false; lagging: string[] }> {
  const started = performance.now();
  for (;;) {
    const lagging = await laggards(runtime, baseline);
    if (lagging.length === 0) return { ok: true, ms: Math.round(performance.now() - started) };
    if (performance.now() - started >= withinMs || signal?.aborted) return { ok: false, lagging };
    await sleep(500, signal);
  }
}
