/**
 * Which image a service runs. Images breakfix builds (from the workspace, or through an artifact
 * fault) live under the session's repository; anything else must already exist locally,
 * because breakfix never pulls: a missing image is an error that names the command to fix it.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { BuildPlan, DeployPlan, ServicePlan } from '../compose/plan.js';
import { baseImagesOf, listContextFiles } from '../runtime/build-image.js';
import { environmentError, workspaceError } from '../errors.js';
import { LABELS } from '../runtime/labels.js';
import type { Runtime } from '../runtime/runtime.js';
import type { BuildProgress } from '../runtime/build-progress.js';
import { labLabels, sessionImageTag, type Lab } from './lab.js';
import type { ProgressListener } from './progress.js';

export async function resolveServiceImage(
  lab: Lab,
  service: ServicePlan,
  runtime: Runtime,
): Promise<{ ref: string; id: string }> {
  const sessionTag = sessionImageTag(lab, service.image);
  const own = await runtime.inspectImage(sessionTag);
  if (own) return { ref: sessionTag, id: own.id };
  if (service.build)
    throw environmentError(`${service.name}: image ${sessionTag} was not built`, 'run `breakfix apply` to build it');
  const shared = await runtime.inspectImage(service.image);
  if (shared) return { ref: service.image, id: shared.id };
  const missing = `${service.name}: image ${service.image} is not available locally`;
  // breakfix's own images are the machine's business (exit 2); any other name is the
  // workspace's choice, and a learner's mistake is exit 1 with what to do.
  if (service.image.startsWith('breakfix/')) throw environmentError(missing, 'run `breakfix images` to build it');
  throw workspaceError(
    missing,
    `breakfix never pulls from a registry: give ${service.name} a \`build:\` section, or use an image that exists locally`,
  );
}

/** Label of a lab image: the hash of the build's inputs (see buildInputsHash). */
export const BUILD_HASH_LABEL = 'breakfix.build-hash';

/**
 * A hash of everything a build's result depends on that breakfix can see: the context files the
 * daemon would receive (`.dockerignore` honoured) with their type, mode and content, the
 * Dockerfile path, build args and target, the ids of the FROM images, and the image's labels.
 * The same hash means Docker's cache would hand back the same image, so the build can be
 * skipped: an unchanged build still costs a tar of the context, ~25 cached steps and the daemon
 * round trips (0.3–1 s on 2 cores), paid by every `apply` that only touched compose.yaml or
 * `.env` — the fix of most scenarios. Undefined when a FROM image is missing (the build then
 * runs and says so).
 */
export async function buildInputsHash(
  build: BuildPlan,
  labels: Record<string, string>,
  runtime: Runtime,
): Promise<string | undefined> {
  const hash = createHash('sha256');
  const dockerfileText = await readFile(path.join(build.context, build.dockerfile), 'utf8').catch(() => undefined);
  if (dockerfileText === undefined) return undefined;
  hash.update(
    JSON.stringify({
      dockerfile: build.dockerfile,
      args: Object.entries(build.args).sort(),
      target: build.target ?? null,
      labels: Object.entries(labels).sort(),
    }),
  );
  for (const image of baseImagesOf(dockerfileText, build.args)) {
    const details = await runtime.inspectImage(image);
    if (!details) return undefined;
    hash.update(`\0from\0${image}\0${details.id}`);
  }
  for (const file of await listContextFiles(build.context, build.dockerfile)) {
    const full = path.join(build.context, file);
    const info = await lstat(full);
    hash.update(`\0${file}\0${info.mode.toString(8)}\0`);
    if (info.isFile()) hash.update(await readFile(full));
    else if (info.isSymbolicLink()) hash.update(await readlink(full));
  }
  return hash.digest('hex').slice(0, 32);
}

/**
 * Builds every service that has `build:`. Services sharing one build (the api and its migrate
 * job) are built once; different builds run in parallel; a build whose inputs are those of the
 * session's current image is skipped (buildInputsHash), and Docker's layer cache makes a
 * changed one rebuild only what changed.
 */
export async function buildLabImages(
  lab: Lab,
  plan: DeployPlan,
  runtime: Runtime,
  onProgress?: ProgressListener,
  outer?: AbortSignal,
): Promise<Record<string, string>> {
  // A failed build stops its siblings: no build goes on after buildLabImages has failed.
  const failed = new AbortController();
  const signal = outer ? AbortSignal.any([outer, failed.signal]) : failed.signal;
  const builds = new Map<string, ServicePlan[]>();
  for (const service of Object.values(plan.services)) {
    if (!service.build) continue;
    const key = JSON.stringify([sessionImageTag(lab, service.image), service.build]);
    builds.set(key, [...(builds.get(key) ?? []), service]);
  }
  let cause: { error: unknown } | undefined;
  const settled = await Promise.allSettled(
    [...builds.values()]
      .map(async (services) => {
        const [first] = services as [ServicePlan, ...ServicePlan[]];
        const build = first.build!;
        const names = services.map((service) => service.name);
        const tag = sessionImageTag(lab, first.image);
        const labels = labLabels(lab, { [LABELS.service]: names.join(',') });
        const inputs = await buildInputsHash(build, labels, runtime);
        const existing = inputs === undefined ? undefined : await runtime.inspectImage(tag);
        if (existing && existing.labels[BUILD_HASH_LABEL] === inputs) {
          // Nothing the build reads has changed since this session built the tag.
          for (const name of names)
            onProgress?.({
              phase: 'service',
              service: name,
              status: 'built',
              detail: `${existing.id.slice(7, 19)}, unchanged`,
            });
          return names.map((name) => [name, existing.id] as const);
        }
        for (const name of names) onProgress?.({ phase: 'service', service: name, status: 'building' });
        const image = await runtime
          .buildImage(
            {
              context: build.context,
              dockerfile: build.dockerfile,
              tag,
              labels: { ...labels, ...(inputs !== undefined ? { [BUILD_HASH_LABEL]: inputs } : {}) },
              args: build.args,
              ...(build.target ? { target: build.target } : {}),
            },
            (event: BuildProgress) => onProgress?.({ phase: 'build', service: names.join(', '), event }),
            signal,
          )
          .catch((error: unknown) => {
            // The learner's Dockerfile is part of the workspace: a failed build is theirs to fix.
            throw workspaceError(
              `${names.join(', ')}: the image build failed\n${error instanceof Error ? error.message : String(error)}`,
              'fix the Dockerfile, then run `breakfix apply`',
            );
          });
        for (const name of names)
          onProgress?.({ phase: 'service', service: name, status: 'built', detail: image.id.slice(7, 19) });
        return names.map((name) => [name, image.id] as const);
      })
      .map((build) =>
        build.catch((error: unknown) => {
          cause ??= { error };
          failed.abort();
          throw error;
        }),
      ),
  );
  if (cause) throw cause.error;
  const built = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  return Object.fromEntries(built.flat());
}
