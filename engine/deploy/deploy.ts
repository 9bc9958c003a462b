/**
 * `docker compose up` for a lab: create the network and volumes, start services once their
 * `depends_on` conditions hold, recreate only what changed, keep crashed containers for
 * `docker logs`, and remove the containers of services the plan no longer has.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { setTimeout } from 'node:timers/promises';
import type { DeployPlan, ServicePlan } from '../compose/plan.js';
import { workspaceError } from '../errors.js';
import { LABELS } from '../runtime/labels.js';
import type { ContainerSpec, Runtime } from '../runtime/runtime.js';
import { assessDeploy, type ServiceProblem } from './assess.js';
import { resolveServiceImage } from './images.js';
import { deployGate } from './deploy-gate.js';
import { withHeldStart } from './held-start.js';
import { containerName, labLabels, labNetworkName, volumeName, type Lab } from './lab.js';
import { prepareLabResources } from './lab-resources.js';
import { keepHostPorts } from './stable-ports.js';
import type { ProgressListener } from './progress.js';
import { graceSeconds, retireContainer } from './stop.js';
import { waitForCondition, waitUntilSettled } from './wait-for.js';

/** Lab containers are small services; the limits stop a runaway fork or leak from hurting the host. */
export const DEFAULT_LIMITS = { memoryBytes: 512 * 1024 ** 2, pidsLimit: 256 } as const;

export interface DeployOptions {
  lab: Lab;
  plan: DeployPlan;
  runtime: Runtime;
  /** Image ids to run instead of resolving tags: a rollback redeploys exactly what ran before. */
  pinned?: Record<string, string>;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  dependencyTimeoutMs?: number;
  /** How long to wait for started services to settle (healthcheck verdict or crash). */
  settleTimeoutMs?: number;
  /** Recreate every service even when its configuration did not change (a probe's fresh deploy). */
  recreateAll?: boolean;
  /**
   * Services whose program starts only this many ms after their container started (see
   * held-start.ts): whatever waits only for them to *start* goes ahead during the hold. The
   * deploy returns once every hold is over.
   */
  holds?: Record<string, number>;
  /**
   * Publish every port on a host port Docker picks, ignoring the ones compose.yaml pins
   * (`"3000:8080"`). A graded deploy runs beside the learner's live lab (the durability proof)
   * and beside other submissions, which pin the same ports; checks find the published port from
   * the container, so its number never changes a verdict.
   */
  anyHostPort?: boolean;
}

export interface DeployedService {
  name: string;
  container: string;
  imageRef: string;
  imageId: string;
  outcome: 'recreated' | 'kept' | 'not-started';
  detail?: string;
  /** The hold its program waited out after the container started (`holds`), when it had one. */
  heldMs?: number;
}

export interface DeployResult {
  services: Record<string, DeployedService>;
  /**
   * Services that did not reach their wanted state once the deploy settled: a job that exited
   * non-zero, a service left Created because a dependency failed, a crash loop, unhealthy.
   * Empty when the lab is up as compose.yaml says. Not an exception: a scenario's start breaks
   * the lab on purpose, while `apply` turns these into exit 1.
   */
  problems: ServiceProblem[];
}

async function secretFiles(service: ServicePlan): Promise<ContainerSpec['files']> {
  return Promise.all(
    service.secrets.map(async (secret) => {
      const content = await readFile(secret.file, 'utf8').catch(() => {
        throw workspaceError(`${service.name}: secret ${secret.name} reads ${secret.file}, which does not exist`);
      });
      // A compose file secret (outside swarm) is a read-only bind mount of the host file: its
      // permission bits apply and show inside the container, so a file left 0600 on the host is
      // readable by root only, and one left 0777 shows as writable by everyone (a check of the
      // secret's mode sees what compose would show). The copy keeps them, owned by root.
      const mode = (await stat(secret.file)).mode & 0o777 || 0o400;
      return { content, target: secret.target, mode };
    }),
  );
}

/** The first network the service joins is the one it is created on; the others follow before it starts. */
function networksOf(lab: Lab, service: ServicePlan): Pick<ContainerSpec, 'network' | 'aliases' | 'extraNetworks'> {
  const [first, ...rest] = (service.networks ?? [{ name: 'default', aliases: [] }]).map((network) => ({
    network: labNetworkName(lab, network.name),
    aliases: [service.name, ...network.aliases],
  }));
  return {
    network: first?.network ?? labNetworkName(lab, 'default'),
    aliases: first?.aliases ?? [service.name],
    ...(rest.length > 0 ? { extraNetworks: rest } : {}),
  };
}

function specFor(
  lab: Lab,
  service: ServicePlan,
  image: string,
  files: ContainerSpec['files'],
): Omit<ContainerSpec, 'labels'> & { labels: Record<string, string> } {
  return {
    name: containerName(lab, service.name),
    image,
    labels: {
      ...service.labels,
      ...labLabels(lab, {
        [LABELS.service]: service.name,
        [LABELS.dependsOn]: service.dependsOn.map((dependency) => dependency.service).join(','),
      }),
    },
    env: service.environment,
    ...(service.command ? { command: service.command } : {}),
    ...(service.entrypoint ? { entrypoint: service.entrypoint } : {}),
    ...(service.user ? { user: service.user } : {}),
    ...networksOf(lab, service),
    ports: service.ports.map((port) => ({
      container: port.container,
      ...(port.host !== undefined ? { host: port.host } : {}),
      protocol: port.protocol,
    })),
    files,
    volumes: service.volumes.map((mount) => ({
      name: volumeName(lab, mount.volume),
      target: mount.target,
      readOnly: mount.readOnly,
    })),
    ...(service.healthcheck !== undefined ? { healthcheck: service.healthcheck } : {}),
    restart: service.restart,
    memoryBytes: service.memLimitBytes ?? DEFAULT_LIMITS.memoryBytes,
    ...(service.cpus ? { cpus: service.cpus } : {}),
    pidsLimit: DEFAULT_LIMITS.pidsLimit,
    ...(service.logging ? { logging: service.logging } : {}),
    ...(service.stopSignal ? { stopSignal: service.stopSignal } : {}),
    stopTimeoutSeconds: graceSeconds(service),
    ...(service.init ? { init: true } : {}),
  };
}

/**
 * Everything that makes a container what it is; equal hashes mean there is nothing to recreate.
 * The image counts by id, not by reference: a rollback names images by id (`sha256:…`) where
 * the release before named them by tag, and an unchanged database must be kept across it.
 */
function configHash(spec: ContainerSpec, imageId: string): string {
  const { labels: _labels, image: _reference, ...rest } = spec;
  return createHash('sha256')
    .update(
      JSON.stringify({
        rest,
        imageId,
        labels: Object.entries(_labels)
          .filter(([key]) => key !== LABELS.workspace)
          .sort(),
      }),
    )
    .digest('hex')
    .slice(0, 16);
}

/** The spec with its program held back, or undefined when the image has no program to hold. */
async function heldSpec(runtime: Runtime, spec: ContainerSpec, image: string, ms: number) {
  const details = await runtime.inspectImage(image);
  return withHeldStart(spec, { entrypoint: details?.entrypoint ?? [], command: details?.command ?? [] }, ms);
}

/**
 * Deploys the lab once the process's deploy gate lets it (deploy-gate.ts): while it waits, its
 * services say so.
 */
export async function deployLab(options: DeployOptions): Promise<DeployResult> {
  return deployGate().run(() => deployNow(options), {
    ...(options.signal ? { signal: options.signal } : {}),
    onQueued: (ahead) => {
      for (const service of Object.keys(options.plan.services))
        options.onProgress?.({
          phase: 'service',
          service,
          status: 'waiting',
          detail: `${ahead} other lab deploy${ahead === 1 ? '' : 's'} first`,
        });
    },
  });
}

async function deployNow(options: DeployOptions): Promise<DeployResult> {
  const { lab, plan, runtime, onProgress } = options;
  // One service failing ends the others' waits too: nothing of a failed deploy keeps polling,
  // or creates a container, after deployLab has returned (a torn-down lab stays torn down).
  const failed = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, failed.signal]) : failed.signal;
  const timeoutMs = options.dependencyTimeoutMs ?? 90_000;
  await prepareLabResources(lab, plan, runtime, onProgress);

  // Services the learner deleted from compose.yaml go away, like `docker compose up --remove-orphans`.
  const existing = await runtime.listLabelled(LABELS.session, lab.sessionId);
  await Promise.all(
    existing
      .filter(
        (resource) =>
          resource.kind === 'container' &&
          // A fault's helper (a delay proxy) belongs to the fault, which removes it when undone.
          resource.labels[LABELS.fault] === undefined &&
          !Object.hasOwn(plan.services, resource.labels[LABELS.service] ?? ''),
      )
      .map(async (resource) => {
        await retireContainer(runtime, resource.id);
        onProgress?.({
          phase: 'service',
          service: resource.labels[LABELS.service] ?? resource.name,
          status: 'removed',
        });
      }),
  );

  const results = new Map<string, Promise<DeployedService>>();
  const holdsOver: number[] = [];
  const deployService = (name: string): Promise<DeployedService> => {
    const known = results.get(name);
    if (known) return known;
    const promise = (async (): Promise<DeployedService> => {
      const service = plan.services[name];
      if (!service) throw workspaceError(`depends_on names ${name}, which is not a service`);
      const pinnedId = options.pinned?.[name];
      const image = pinnedId ? { ref: pinnedId, id: pinnedId } : await resolveServiceImage(lab, service, runtime);
      let spec: ContainerSpec = specFor(lab, service, image.ref, await secretFiles(service));
      if (options.anyHostPort) spec.ports = spec.ports.map(({ host: _pinned, ...port }) => port);
      const hash = configHash(spec, image.id);
      spec.labels[LABELS.configHash] = hash;
      const holdMs = options.holds?.[name];
      const held = holdMs === undefined ? undefined : await heldSpec(runtime, spec, image.ref, holdMs);
      if (held) spec = held;
      const base = {
        name,
        container: spec.name,
        imageRef: image.ref,
        imageId: image.id,
        ...(held && holdMs !== undefined ? { heldMs: holdMs } : {}),
      };

      const blocked = await Promise.all(
        service.dependsOn.map(async (dependency) => {
          const upstream = await deployService(dependency.service);
          if (upstream.outcome === 'not-started') return `${dependency.service} was not started`;
          if (dependency.condition !== 'service_started')
            onProgress?.({
              phase: 'service',
              service: name,
              status: 'waiting',
              detail: `${dependency.service} ${dependency.condition.replace('service_', '')}`,
            });
          const waited = await waitForCondition(
            runtime,
            upstream.container,
            dependency.service,
            dependency.condition,
            timeoutMs,
            signal,
            plan.services[dependency.service]?.healthcheck,
          );
          return waited.ok ? undefined : waited.reason;
        }),
      );
      if (signal.aborted) throw new Error('deploy interrupted');
      const reason = blocked.find((entry) => entry !== undefined);

      const current = await runtime.inspectContainer(spec.name);
      if (
        reason === undefined &&
        !options.recreateAll &&
        current?.running &&
        current.labels[LABELS.configHash] === hash
      ) {
        onProgress?.({ phase: 'service', service: name, status: 'kept' });
        return { ...base, outcome: 'kept' };
      }
      // Compose stops the old container first: its stop signal, its grace period, then SIGKILL.
      if (current) {
        if (current.status === 'running' || current.status === 'restarting' || current.status === 'paused')
          onProgress?.({ phase: 'service', service: name, status: 'stopping' });
        await retireContainer(runtime, spec.name);
      }
      // The recreated container publishes the host ports the old one had (the config hash, taken
      // before, does not count Docker's pick).
      if (current) spec.ports = keepHostPorts(spec.ports, current.ports);
      onProgress?.({ phase: 'service', service: name, status: reason === undefined ? 'starting' : 'creating' });
      await runtime.runContainer(spec, { start: reason === undefined });
      if (reason !== undefined) {
        // Compose leaves such a service "Created"; so do we, and say why.
        onProgress?.({
          phase: 'service',
          service: name,
          status: 'not-started',
          detail: `dependency failed: ${reason}`,
        });
        return { ...base, outcome: 'not-started', detail: `dependency failed: ${reason}` };
      }
      if (held && holdMs !== undefined) holdsOver.push(Date.now() + holdMs);
      onProgress?.({ phase: 'service', service: name, status: 'ready' });
      return { ...base, outcome: 'recreated' };
    })();
    results.set(name, promise);
    return promise;
  };

  let cause: { error: unknown } | undefined;
  const outcomes = await Promise.allSettled(
    Object.keys(plan.services).map((name) =>
      deployService(name).catch((error: unknown) => {
        // The first failure is the reason; the others are its consequence ("deploy interrupted").
        cause ??= { error };
        failed.abort();
        throw error;
      }),
    ),
  );
  if (cause) throw cause.error;
  // A held job does its work after the hold: what the deploy hands back is the lab after it.
  const lastHold = Math.max(0, ...holdsOver) - Date.now();
  if (lastHold > 0) await setTimeout(lastHold, undefined, { signal }).catch(() => undefined);
  const deployed = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const settleTimeoutMs = options.settleTimeoutMs ?? 30_000;
  await Promise.all(
    deployed
      .filter((service) => service.outcome === 'recreated')
      .map((service) => waitUntilSettled(runtime, service.container, settleTimeoutMs, signal)),
  );
  const services = Object.fromEntries(deployed.map((service) => [service.name, service]));
  const problems = await assessDeploy(runtime, services, settleTimeoutMs);
  for (const problem of problems)
    if (services[problem.service]?.outcome !== 'not-started')
      onProgress?.({ phase: 'service', service: problem.service, status: 'failed', detail: problem.reason });
  return { services, problems };
}
