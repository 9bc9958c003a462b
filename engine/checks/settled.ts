/**
 * The check types' "certain failure" signal. Every check type names the services it observes
 * (`services(params)`, the first being the one it judges); a failed observation of a service
 * whose container cannot change until the learner acts is certain — retrying it for the rest
 * of the window (3 s by default) only delays the answer.
 *
 * A container cannot change by itself when it is gone, or exited/dead: Docker decides whether
 * to restart an exited container under the container's lock, in the same step that records
 * the exit, so a container its restart policy will bring back is seen `restarting`, never
 * `exited`. Nor when it is `created`: a check round never runs beside a deploy (the session
 * lock), so a container still created is one the deploy left unstarted (its dependency failed),
 * and no restart policy ever starts it (a held service's container is started at once, its
 * program waits: deploy/held-start.ts). `paused` is not counted: a probe's perturbation pauses
 * and resumes.
 */
import type { CheckContext, CheckDefinition } from './check.js';

const FINAL = new Set(['exited', 'dead', 'created']);

/** Why the failure is certain (`api: exited (exit code 1)`), or undefined while the lab can still settle. */
export async function settledService(
  definition: CheckDefinition,
  params: unknown,
  ctx: Omit<CheckContext, 'signal'>,
): Promise<string | undefined> {
  const service = definition.services?.(params as never)[0];
  if (service === undefined) return undefined;
  let container: string;
  try {
    container = ctx.service(service).container;
  } catch {
    return undefined;
  }
  try {
    const state = await ctx.runtime.inspectContainer(container);
    if (!state) return `${service}: no container`;
    if (state.status === 'created') return `${service}: created, never started`;
    if (FINAL.has(state.status)) return `${service}: ${state.status} (exit code ${state.exitCode})`;
    return undefined;
  } catch {
    // Docker did not answer: nothing is certain, the window goes on.
    return undefined;
  }
}
