/**
 * Did the deploy bring every service to the state compose.yaml wants? `docker compose up
 * --wait` fails when a service does not; so does `breakfix apply` (exit 1, naming the service
 * and the reason), while the lab stays as deployed so the learner can read its logs.
 */
import type { ContainerState, Runtime } from '../runtime/runtime.js';
import type { DeployedService } from './deploy.js';

export interface ServiceProblem {
  service: string;
  /** e.g. "exited with code 1", "keeps restarting (3 restarts, last exit code 1)". */
  reason: string;
}

/** Why one settled container is not in its wanted state; undefined when it is. */
export function problemOf(
  state: ContainerState | undefined,
  deployed: Pick<DeployedService, 'outcome' | 'detail'>,
  settleTimeoutMs: number,
): string | undefined {
  if (deployed.outcome === 'not-started') return `was not started (${deployed.detail ?? 'a dependency failed'})`;
  if (!state) return 'has no container';
  const oom = state.oomKilled ? ', out of memory' : '';
  if (state.status === 'exited' || state.status === 'dead')
    // Exit 0 is a job that did its work (a migration); anything else is a failure.
    return state.exitCode === 0 ? undefined : `exited with code ${state.exitCode}${oom}`;
  if (state.status === 'restarting')
    return `keeps restarting (${state.restartCount} restart${state.restartCount === 1 ? '' : 's'}, last exit code ${state.exitCode}${oom})`;
  if (state.status === 'created') return 'was created but not started';
  if (state.status === 'paused') return 'is paused';
  // A container recreated by this deploy that has restarted already is crash-looping between probes.
  if (deployed.outcome === 'recreated' && state.restartCount > 0)
    return `restarted ${state.restartCount} time${state.restartCount === 1 ? '' : 's'} since the deploy (last exit code ${state.exitCode}${oom})`;
  if (state.health === 'unhealthy')
    return `is unhealthy${state.healthLog.length > 0 ? ` (${state.healthLog.at(-1)?.slice(0, 200)})` : ''}`;
  if (state.health === 'starting') return `did not become healthy within ${Math.round(settleTimeoutMs / 1000)}s`;
  return undefined;
}

export async function assessDeploy(
  runtime: Runtime,
  services: Record<string, DeployedService>,
  settleTimeoutMs: number,
): Promise<ServiceProblem[]> {
  const problems = await Promise.all(
    Object.values(services).map(async (service) => {
      const state = service.outcome === 'not-started' ? undefined : await runtime.inspectContainer(service.container);
      const reason = problemOf(state, service, settleTimeoutMs);
      return reason === undefined ? undefined : { service: service.name, reason };
    }),
  );
  return problems.filter((problem): problem is ServiceProblem => problem !== undefined);
}

/** "migrate exited with code 1; api was not started (dependency failed: …)" */
export function describeProblems(problems: ServiceProblem[]): string {
  return problems.map((problem) => `${problem.service} ${problem.reason}`).join('; ');
}

/** The same judgement for a lab as it runs now, e.g. when a scenario's symptoms did not show. */
export async function assessServices(
  runtime: Runtime,
  containers: Array<{ service: string; container: string }>,
): Promise<ServiceProblem[]> {
  const problems = await Promise.all(
    containers.map(async ({ service, container }) => {
      const reason = problemOf(await runtime.inspectContainer(container), { outcome: 'recreated' }, 0);
      return reason === undefined ? undefined : { service, reason };
    }),
  );
  return problems.filter((problem): problem is ServiceProblem => problem !== undefined);
}
