/**
 * Which image a service runs. Images breakfix builds (from the workspace, or through an artifact
 * fault) live under the session's repository; anything else must already exist locally,
 * because breakfix never pulls: a missing image is an error that names the command to fix it.
 */
import type { DeployPlan, ServicePlan } from '../compose/plan.js';
import { environmentError, workspaceError } from '../errors.js';
import { LABELS } from '../runtime/labels.js';
import type { Runtime } from '../runtime/runtime.js';
import type { BuildProgress } from '../runtime/build-progress.js';
import { labLabels, sessionImageTag, type Lab } from './lab.js';
import type { ProgressListener } from './progress.js';

export async function resolveServiceImage(lab: Lab, service: ServicePlan, runtime: Runtime): Promise<{ ref: string; id: string }> {
  const sessionTag = sessionImageTag(lab, service.image);
  const own = await runtime.inspectImage(sessionTag);
  if (own) return { ref: sessionTag, id: own.id };
  if (service.build) throw environmentError(`${service.name}: image ${sessionTag} was not built`, 'run `breakfix apply` to build it');
  const shared = await runtime.inspectImage(service.image);
  if (shared) return { ref: service.image, id: shared.id };
  const hint = service.image.startsWith('breakfix/')
    ? 'run `breakfix images` to build it'
    : `breakfix never pulls from a registry: give ${service.name} a \`build:\` section, or use an image that exists locally`;
  throw environmentError(`${service.name}: image ${service.image} is not available locally`, hint);
}

/**
 * Builds every service that has `build:`. Services sharing one build (the api and its migrate
 * job) are built once; different builds run in parallel, and Docker's layer cache makes an
 * unchanged build take a moment.
 */
export async function buildLabImages(lab: Lab, plan: DeployPlan, runtime: Runtime, onProgress?: ProgressListener, signal?: AbortSignal): Promise<Record<string, string>> {
  const builds = new Map<string, ServicePlan[]>();
  for (const service of Object.values(plan.services)) {
    if (!service.build) continue;
    const key = JSON.stringify([sessionImageTag(lab, service.image), service.build]);
    builds.set(key, [...(builds.get(key) ?? []), service]);
  }
  const built = await Promise.all(
    [...builds.values()].map(async (services) => {
      const [first] = services as [ServicePlan, ...ServicePlan[]];
      const build = first.build!;
      const names = services.map((service) => service.name);
      for (const name of names) onProgress?.({ phase: 'service', service: name, status: 'building' });
      const image = await runtime
        .buildImage(
          {
            context: build.context,
            dockerfile: build.dockerfile,
            tag: sessionImageTag(lab, first.image),
            labels: labLabels(lab, { [LABELS.service]: names.join(',') }),
            args: build.args,
            ...(build.target ? { target: build.target } : {}),
          },
          (event: BuildProgress) => onProgress?.({ phase: 'build', service: names.join(', '), event }),
          signal,
        )
        .catch((error: unknown) => {
          // The learner's Dockerfile is part of the workspace: a failed build is theirs to fix.
          throw workspaceError(`${names.join(', ')}: the image build failed\n${error instanceof Error ? error.message : String(error)}`, 'fix the Dockerfile, then run `breakfix apply`');
        });
      for (const name of names) onProgress?.({ phase: 'service', service: name, status: 'built', detail: image.id.slice(7, 19) });
      return names.map((name) => [name, image.id] as const);
    }),
  );
  return Object.fromEntries(built.flat());
}
