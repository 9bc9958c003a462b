/**
 * Stopping lab containers the way `docker compose down` does: each gets its stop signal and
 * its grace period before SIGKILL (stopContainer), and a service is stopped only after the
 * services that depend on it — the api lets go of the database before the database shuts
 * down. A SIGKILLed PostgreSQL needs crash recovery at its next start; a stopped one does not.
 */
import type { ServicePlan } from '../compose/plan.js';
import { LABELS } from '../runtime/labels.js';
import type { ResourceRef, Runtime } from '../runtime/runtime.js';

/** Compose's default grace period: `docker compose stop` waits 10 s before SIGKILL. */
export const DEFAULT_STOP_GRACE_MS = 10_000;

/**
 * The whole seconds Docker gets as `StopTimeout`: Docker counts in seconds, and rounding up
 * never cuts a grace period short.
 */
export function graceSeconds(plan: Pick<ServicePlan, 'stopGracePeriodMs'>): number {
  return Math.ceil((plan.stopGracePeriodMs ?? DEFAULT_STOP_GRACE_MS) / 1000);
}

/** Stops one container gracefully, then removes it. */
export async function retireContainer(runtime: Runtime, container: string): Promise<void> {
  await runtime.stopContainer(container);
  await runtime.removeContainer(container);
}

const dependenciesOf = (container: ResourceRef): string[] =>
  (container.labels[LABELS.dependsOn] ?? '').split(',').filter((name) => name !== '');

/**
 * Stops containers (of one or several sessions) in reverse dependency order, independent ones
 * in parallel. The order comes from the `breakfix.depends-on` label, so a sweep by label that
 * knows nothing of compose.yaml — gc after a killed process — still stops in the right order.
 */
export async function stopInOrder(runtime: Runtime, containers: ResourceRef[]): Promise<void> {
  const key = (container: ResourceRef) =>
    `${container.labels[LABELS.session] ?? ''}\0${container.labels[LABELS.service] ?? container.id}`;
  const dependents = new Map<string, ResourceRef[]>();
  for (const container of containers)
    for (const dependency of dependenciesOf(container)) {
      const target = `${container.labels[LABELS.session] ?? ''}\0${dependency}`;
      dependents.set(target, [...(dependents.get(target) ?? []), container]);
    }
  const stopped = new Map<string, Promise<void>>();
  const stop = (container: ResourceRef, path: ReadonlySet<string>): Promise<void> => {
    const id = key(container);
    const known = stopped.get(id);
    if (known) return known;
    // A cycle (labels edited by hand) must not deadlock the teardown: stop it now.
    const before = (dependents.get(id) ?? []).filter((dependent) => !path.has(key(dependent)));
    const next = new Set(path).add(id);
    const promise = Promise.all(before.map((dependent) => stop(dependent, next))).then(() =>
      runtime.stopContainer(container.id),
    );
    stopped.set(id, promise);
    return promise;
  };
  await Promise.all(containers.map((container) => stop(container, new Set())));
}
