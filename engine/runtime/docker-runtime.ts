/**
 * The Runtime port over Docker, on the dockerode client docker-client.ts opens (found by
 * testcontainers' discovery, cached per user). Not over testcontainers' GenericContainer,
 * because its start() cannot do what a lab needs:
 * it waits up to 10 s for port bindings that a crashing container never gets, removes a
 * container whose wait fails (a learner must be able to read its logs), binds ports on every
 * interface, and has no restart policy, pids limit, pause or memory update.
 *
 * Translations live beside it: container-config.ts (spec → create options, inspect → state),
 * docker-streams.ts (logs, tar), docker-images.ts (inspect, tag, remove), image-labels.ts, publish.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { BuildProgress } from './build-progress.js';
import { createOptions, toState } from './container-config.js';
import { isImageGone, isNotFound } from './docker-client.js';
import type { DockerConnection } from './docker-connection.js';
import { execInContainer } from './docker-exec.js';
import { createLabNetwork } from './lab-network.js';
import { demuxLogs, dockerTime, followLines, tarOf } from './docker-streams.js';
import { runHelperContainer, startHelperContainer, stopHelperContainer } from './helper-container.js';
import { withBuildLease } from './image-leases.js';
import { inspectImageDetails, removeImage, removeImages, tagImage } from './docker-images.js';
import { labelInstruction, splitLabels } from './image-labels.js';
import { publishSettings, type PublishSettings } from './publish.js';
import type {
  BuildRequest,
  ContainerSpec,
  ContainerState,
  EngineInfo,
  ExecResult,
  HelperSpec,
  ImageDetails,
  Labels,
  ResourceRef,
  Runtime,
} from './runtime.js';

const statusOf = (error: unknown) => (error as { statusCode?: number }).statusCode;

export type ImageBuilder = (
  docker: Dockerode,
  request: BuildRequest,
  onProgress?: (event: BuildProgress) => void,
  signal?: AbortSignal,
) => Promise<void>;

export class DockerRuntime implements Runtime {
  constructor(
    private readonly connection: DockerConnection,
    private readonly builder: ImageBuilder,
    private readonly publish: PublishSettings = publishSettings(),
  ) {}

  /** dockerode, loaded on the first call that needs more than the connection's plain reads. */
  private get docker(): Dockerode {
    return this.connection.dockerode;
  }

  /**
   * Ends every connection this runtime holds to Docker, so the process can exit once its work
   * is done; requests still in flight fail. A CLI command calls it last (through `disconnect`).
   */
  close(): void {
    this.connection.close();
  }

  // info, inspectContainer and logs are what `status`, `hint` and `logs` read: plain GETs (docker-connection.ts).
  async info(): Promise<EngineInfo> {
    const [version, bridge] = await Promise.all([
      this.connection.getJson<{ Version: string; ApiVersion: string }>('/version'),
      this.connection.getJson<{ Created?: string }>('/networks/bridge').then(
        (network) => network.Created,
        () => undefined,
      ),
    ]);
    return {
      host: this.publish.connectHost,
      serverVersion: version.Version,
      apiVersion: version.ApiVersion,
      ...(bridge ? { bootedAt: bridge } : {}),
    };
  }

  async imageExists(ref: string): Promise<boolean> {
    return (await this.inspectImage(ref)) !== undefined;
  }

  async saveImage(ref: string): Promise<NodeJS.ReadableStream> {
    return this.docker.getImage(ref).get();
  }

  async inspectImage(ref: string): Promise<ImageDetails | undefined> {
    return inspectImageDetails(this.docker, ref);
  }

  /**
   * The classic builder turns every build label into its own `LABEL` step, and a LABEL step
   * whose value is new (the session id, the workspace) is a cache miss that creates, commits
   * and removes a container: five labels cost five of those, 0.1–0.6 s each on 2 cores, on
   * every session's first build. So the build carries the session label only (the image is
   * never without it, and teardown always finds it), and the other labels follow in one
   * `LABEL` instruction on top of the result: two uncached steps instead of five.
   */
  async buildImage(
    request: BuildRequest,
    onProgress?: (event: BuildProgress) => void,
    signal?: AbortSignal,
  ): Promise<ImageDetails> {
    return withBuildLease(this.docker, request.labels, () => this.buildUnderLease(request, onProgress, signal));
  }

  private async buildUnderLease(
    request: BuildRequest,
    onProgress?: (event: BuildProgress) => void,
    signal?: AbortSignal,
  ): Promise<ImageDetails> {
    const split = splitLabels(request.labels);
    await this.builder(this.docker, split ? { ...request, labels: split.first } : request, onProgress, signal);
    if (split) {
      const built = await this.docker.getImage(request.tag).inspect();
      const context = await mkdtemp(path.join(os.tmpdir(), 'breakfix-labels-'));
      try {
        await writeFile(path.join(context, 'Dockerfile'), `FROM ${built.Id}\n${labelInstruction(split.rest)}\n`);
        await this.builder(
          this.docker,
          { context, dockerfile: 'Dockerfile', tag: request.tag, labels: {}, args: {} },
          undefined,
          signal,
        );
      } finally {
        await rm(context, { recursive: true, force: true });
      }
    }
    const details = await this.inspectImage(request.tag);
    if (!details) throw new Error(`the build of ${request.tag} finished but the image is missing`);
    return details;
  }

  async tagImage(source: string, target: string): Promise<void> {
    await tagImage(this.docker, source, target);
  }

  async removeImage(ref: string, options: { prune?: boolean } = {}): Promise<void> {
    await removeImage(this.docker, ref, options);
  }

  async removeImages(images: ResourceRef[]): Promise<void> {
    await removeImages(this.docker, images);
  }

  async createNetwork(name: string, labels: Labels, options: { internal?: boolean } = {}): Promise<void> {
    const existing = await this.docker.listNetworks({ filters: { name: [name] } });
    if (existing.some((network) => network.Name === name)) return;
    await createLabNetwork(this.docker, {
      Name: name,
      Labels: labels,
      ...(options.internal ? { Internal: true } : {}),
    });
  }

  async createVolume(name: string, labels: Labels, driverOpts?: Record<string, string>): Promise<void> {
    // Creating an existing volume with the same name is a no-op in Docker: data survives redeploys.
    await this.docker.createVolume({ Name: name, Labels: labels, ...(driverOpts ? { DriverOpts: driverOpts } : {}) });
  }

  async inspectVolume(name: string): Promise<{ labels: Labels; driverOpts: Record<string, string> } | undefined> {
    try {
      const info = (await this.docker.getVolume(name).inspect()) as {
        Labels?: Labels | null;
        Options?: Record<string, string> | null;
      };
      return { labels: info.Labels ?? {}, driverOpts: info.Options ?? {} };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async runContainer(spec: ContainerSpec, how: { start?: boolean } = {}): Promise<ContainerState> {
    const container = await this.docker.createContainer(createOptions(spec, this.publish.bindAddress));
    for (const extra of spec.extraNetworks ?? [])
      await this.docker
        .getNetwork(extra.network)
        .connect({ Container: container.id, EndpointConfig: { Aliases: extra.aliases } });
    if (spec.files.length > 0) await container.putArchive(await tarOf(spec.files), { path: '/' });
    if (how.start !== false) await container.start();
    return toState(await container.inspect());
  }

  async inspectContainer(nameOrId: string): Promise<ContainerState | undefined> {
    try {
      return toState(
        await this.connection.getJson<Dockerode.ContainerInspectInfo>(
          `/containers/${encodeURIComponent(nameOrId)}/json`,
        ),
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async exec(
    container: string,
    command: string[],
    options: { user?: string; env?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<ExecResult> {
    return execInContainer(this.docker, container, command, options);
  }

  async logs(container: string, options: { since?: Date; tail?: number } = {}): Promise<string> {
    const query = new URLSearchParams({ stdout: 'true', stderr: 'true', follow: 'false' });
    if (options.since) query.set('since', dockerTime(options.since));
    if (options.tail !== undefined) query.set('tail', String(options.tail));
    return demuxLogs(
      await this.connection.getBuffer(`/containers/${encodeURIComponent(container)}/logs?${query.toString()}`),
    );
  }

  async followLogs(
    container: string,
    onLine: (line: string) => void,
    signal: AbortSignal,
    options: { since?: Date; tail?: number } = {},
  ): Promise<void> {
    const stream = (await this.docker.getContainer(container).logs({
      stdout: true,
      stderr: true,
      follow: true,
      ...(options.since ? { since: dockerTime(options.since) as unknown as number } : {}),
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
    })) as unknown as Readable;
    await followLines(this.docker, stream, onLine, signal);
  }

  /**
   * `docker stop`: the container's stop signal (compose `stop_signal`, else the image's
   * STOPSIGNAL, else SIGTERM), then SIGKILL after `timeoutSeconds` — by default the grace
   * period the container was created with (compose `stop_grace_period`, default 10 s). Docker
   * delivers the signal to a paused container too (it resumes it).
   */
  async stopContainer(container: string, timeoutSeconds?: number): Promise<void> {
    try {
      await this.docker.getContainer(container).stop(timeoutSeconds === undefined ? {} : { t: timeoutSeconds });
    } catch (error) {
      // 304: already stopped; 404: already gone. Both are the state we wanted.
      const status = statusOf(error);
      if (status !== 304 && status !== 404) throw error;
    }
  }

  async removeContainer(container: string): Promise<void> {
    try {
      await this.docker.getContainer(container).remove({ force: true, v: true });
    } catch (error) {
      const status = statusOf(error);
      // 409: removal already in progress (a concurrent teardown); the container is going away.
      if (status !== 404 && status !== 409) throw error;
    }
  }

  async killContainer(container: string, signal: string): Promise<void> {
    await this.docker.getContainer(container).kill({ signal });
  }

  async pauseContainer(container: string): Promise<void> {
    await this.docker.getContainer(container).pause();
  }

  async startContainer(container: string): Promise<void> {
    try {
      await this.docker.getContainer(container).start();
    } catch (error) {
      // 304: already running, the state we wanted.
      if (statusOf(error) !== 304) throw error;
    }
  }

  async unpauseContainer(container: string): Promise<void> {
    const state = await this.docker.getContainer(container).inspect();
    if (state.State.Paused) await this.docker.getContainer(container).unpause();
  }

  async execDetached(
    container: string,
    command: string[],
    options: { user?: string; env?: Record<string, string> } = {},
  ): Promise<void> {
    const exec = await this.docker.getContainer(container).exec({
      Cmd: command,
      AttachStdout: false,
      AttachStderr: false,
      ...(options.user ? { User: options.user } : {}),
      ...(options.env ? { Env: Object.entries(options.env).map(([key, value]) => `${key}=${value}`) } : {}),
    });
    await exec.start({ Detach: true });
  }

  async runHelper(spec: HelperSpec, timeoutMs = 30_000): Promise<ExecResult> {
    return runHelperContainer(this.docker, spec, timeoutMs);
  }

  async startHelper(spec: HelperSpec): Promise<void> {
    await startHelperContainer(this.docker, spec);
  }

  async stopHelper(name: string, timeoutSeconds = 5): Promise<(ExecResult & { wasRunning: boolean }) | undefined> {
    return stopHelperContainer(this.docker, name, timeoutSeconds);
  }

  async updateMemory(container: string, bytes: number): Promise<void> {
    await this.docker.getContainer(container).update({ Memory: bytes, MemorySwap: bytes });
  }

  async disconnectNetwork(container: string, network: string): Promise<void> {
    await this.docker.getNetwork(network).disconnect({ Container: container, Force: true });
  }

  async connectNetwork(container: string, network: string, aliases: string[]): Promise<void> {
    try {
      await this.docker.getNetwork(network).connect({ Container: container, EndpointConfig: { Aliases: aliases } });
    } catch (error) {
      // Docker answers 403 "already exists in network" for a container that is connected.
      const message = (error as { json?: { message?: string } }).json?.message ?? '';
      if (!/already exists/i.test(message)) throw error;
    }
  }

  async listLabelled(key: string, value?: string): Promise<ResourceRef[]> {
    const label = value === undefined ? key : `${key}=${value}`;
    const filters = { label: [label] };
    const [containers, networks, volumes, images] = await Promise.all([
      this.docker.listContainers({ all: true, filters }),
      this.docker.listNetworks({ filters }),
      this.docker.listVolumes({ filters }),
      this.docker.listImages({ filters }),
    ]);
    return [
      ...containers.map((c) => ({
        kind: 'container' as const,
        id: c.Id,
        name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
        labels: c.Labels,
      })),
      ...networks.map((n) => ({ kind: 'network' as const, id: n.Id, name: n.Name, labels: n.Labels ?? {} })),
      ...(volumes.Volumes ?? []).map((v) => ({
        kind: 'volume' as const,
        id: v.Name,
        name: v.Name,
        labels: v.Labels ?? {},
      })),
      ...images.map((i) => ({
        kind: 'image' as const,
        id: i.Id,
        name: i.RepoTags?.[0] ?? i.Id,
        labels: i.Labels ?? {},
      })),
    ];
  }

  async removeResource(resource: ResourceRef): Promise<void> {
    try {
      if (resource.kind === 'container') await this.docker.getContainer(resource.id).remove({ force: true, v: true });
      else if (resource.kind === 'network') await this.docker.getNetwork(resource.id).remove();
      else if (resource.kind === 'volume') await this.docker.getVolume(resource.id).remove({ force: true });
      else await this.docker.getImage(resource.id).remove({ force: true });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 404 && status !== 409 && !(resource.kind === 'image' && isImageGone(error))) throw error;
    }
  }
}
