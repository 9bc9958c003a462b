/**
 * Removing a lab is a sweep by label, not a walk over what we think we created: whatever a
 * crashed process, a fault or a learner's apply left behind carries the session label.
 */
import { LABELS } from '../runtime/labels.js';
import type { ResourceRef, Runtime } from '../runtime/runtime.js';
import { stopInOrder } from './stop.js';

/** Containers hold networks, volumes and images in use, so they go first. */
const ORDER: ReadonlyArray<ResourceRef['kind']> = ['container', 'network', 'volume', 'image'];

export interface RemoveOptions {
  /**
   * Stop containers with their stop signal and grace period (dependents first) before removing
   * them, as `docker compose down` does; false removes at once (SIGKILL). Default true.
   */
  graceful?: boolean;
}

export async function removeResources(
  runtime: Runtime,
  resources: ResourceRef[],
  options: RemoveOptions = {},
): Promise<ResourceRef[]> {
  // One refusal (a network another lab's container still uses) does not keep the volumes and
  // images after it: everything removable goes, then the first refusal is thrown.
  const refusals: unknown[] = [];
  for (const kind of ORDER) {
    const ofKind = resources.filter((resource) => resource.kind === kind);
    if (kind === 'container' && options.graceful !== false) await stopInOrder(runtime, ofKind);
    if (kind === 'image') {
      // Never a parent another session's build stands on (see Runtime.removeImages).
      await runtime.removeImages(ofKind).catch((error: unknown) => refusals.push(error));
    } else {
      const settled = await Promise.allSettled(ofKind.map((resource) => runtime.removeResource(resource)));
      for (const outcome of settled) if (outcome.status === 'rejected') refusals.push(outcome.reason);
    }
  }
  if (refusals.length > 0) throw refusals[0];
  return resources;
}

export async function teardownLab(
  runtime: Runtime,
  sessionId: string,
  options: RemoveOptions = {},
): Promise<ResourceRef[]> {
  return removeResources(runtime, await runtime.listLabelled(LABELS.session, sessionId), options);
}
