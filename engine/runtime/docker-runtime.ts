/**
 * The Runtime port over Docker. Connection discovery (socket, DOCKER_HOST, Docker Desktop) and
 * exec come from testcontainers' runtime client; the rest goes to the dockerode client it
 * exposes, because testcontainers' GenericContainer.start() cannot do what a lab needs:
 * it waits up to 10 s for port bindings that a crashing container never gets, removes a
 * container whose wait fails (a learner must be able to read its logs), binds ports on every
 * interface, and has no restart policy, pids limit, pause or memory update.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { TarArchive } from 'archiver';
import type Dockerode from 'dockerode';
import type { ContainerCreateOptions, ContainerInspectInfo } from 'dockerode';
import type { ContainerRuntimeClient } from 'testcontainers';
import type { HealthcheckPlan } from '../compose/plan.js';
import { isImageGone, isNotFound } from './docker-client.js';
import { runHelperContainer, startHelperContainer, stopHelperContainer } from './helper-container.js';
import { LABELS } from './labels.js';
import type { BuildProgress } from './build-progress.js';
import type {
  BuildRequest,
  ContainerSpec,
  ContainerState,
  ContainerStatusName,
  EngineInfo,
  ExecResult,
  HealthStatus,
  HelperSpec,
  ImageDetails,
  Labels,
  ResourceRef,
  Runtime,
} from './runtime.js';

const nanos = (ms: number) => Math.round(ms * 1_000_000);

function healthConfig(plan: HealthcheckPlan | null | undefined): ContainerCreateOptions['Healthcheck'] {
  if (plan === undefined) return undefined;
  if (plan === null) return { Test: ['NONE'] };
  return {
    Test: plan.test,
    Interval: nanos(plan.intervalMs),
    Timeout: nanos(plan.timeoutMs),
    Retries: plan.retries,
    StartPeriod: nanos(plan.startPeriodMs),
  };
}

/** Docker wants `since` as seconds with a fractional part, like the CLI sends it. */
function dockerTime(date: Date): string {
  const ms = date.getTime();
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}000000`;
}

async function tarOf(files: ContainerSpec['files']): Promise<Readable> {
  const archive = new TarArchive();
  for (const file of files) archive.append(file.content, { name: file.target.replace(/^\//, ''), mode: file.mode });
  void archive.finalize();
  return archive;
}

function toState(info: ContainerInspectInfo): ContainerState {
  const ports = Object.entries(info.NetworkSettings?.Ports ?? {}).flatMap(([key, bindings]) => {
    const [port, protocol] = key.split('/');
    return (bindings ?? [])
      .filter((binding) => binding.HostIp === '127.0.0.1' || binding.HostIp === '0.0.0.0' || binding.HostIp === '')
      .map((binding) => ({
        container: Number(port),
        host: Number(binding.HostPort),
        protocol: (protocol === 'udp' ? 'udp' : 'tcp') as 'tcp' | 'udp',
      }));
  });
  const health = info.State.Health;
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    imageId: info.Image,
    status: info.State.Status as ContainerStatusName,
    // Docker reports a container in a crash loop, or paused, as Running too; for a learner it is not up.
    running: info.State.Running && !info.State.Restarting && !info.State.Paused,
    exitCode: info.State.ExitCode,
    oomKilled: info.State.OOMKilled,
    health: (health?.Status as HealthStatus | undefined) ?? 'none',
    healthLog: (health?.Log ?? []).map((entry) => `exit ${entry.ExitCode}: ${entry.Output.trim()}`),
    healthcheck: (info.Config.Healthcheck?.Test ?? []).filter((part) => part !== 'NONE'),
    restartCount: info.RestartCount,
    createdAt: info.Created,
    startedAt: info.State.StartedAt,
    finishedAt: info.State.FinishedAt,
    ports: ports.filter(
      (port, index) =>
        ports.findIndex((other) => other.container === port.container && other.protocol === port.protocol) === index,
    ),
    env: info.Config.Env ?? [],
    user: info.Config.User ?? '',
    labels: info.Config.Labels ?? {},
    networks: Object.keys(info.NetworkSettings?.Networks ?? {}),
    memoryBytes: info.HostConfig.Memory ?? 0,
  };
}

async function demux(docker: Dockerode, source: Readable | Buffer): Promise<string> {
  const stream = Buffer.isBuffer(source) ? Readable.from([source]) : source;
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  docker.modem.demuxStream(stream, out, out);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Where lab ports are published and reached. Loopback by default (the security rule: a lab is
 * never exposed to the network). A remote DOCKER_HOST's loopback is not this machine's, so
 * such a setup opts in explicitly with BREAKFIX_PUBLISH_ADDRESS (docs/architecture.md).
 */
export interface PublishSettings {
  /** Address ports are bound to on the Docker host. */
  bindAddress: string;
  /** Address this process connects to. */
  connectHost: string;
}

export function publishSettings(env: NodeJS.ProcessEnv = process.env): PublishSettings {
  const bindAddress = env.BREAKFIX_PUBLISH_ADDRESS?.trim() || '127.0.0.1';
  const dockerHost = env.DOCKER_HOST?.trim() ?? '';
  const remote = /^(tcp|ssh|http|https):\/\//.test(dockerHost)
    ? new URL(dockerHost.replace(/^ssh:\/\//, 'tcp://')).hostname
    : undefined;
  // testcontainers would answer the bridge gateway when it believes it runs in a container;
  // lab ports are bound to loopback, so locally the answer is always loopback.
  return { bindAddress, connectHost: remote ?? (bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress) };
}

/** A double-quoted Dockerfile word: backslash, `"` and `$` escaped (LABEL expands variables). */
const dockerfileQuote = (text: string) => `"${text.replace(/[\\"$]/g, (char) => `\\${char}`)}"`;

export function labelInstruction(labels: Labels): string {
  return `LABEL ${Object.entries(labels)
    .map(([key, value]) => `${dockerfileQuote(key)}=${dockerfileQuote(value)}`)
    .join(' ')}`;
}

/**
 * The session label for the build itself, the rest for one LABEL step; undefined when there is
 * nothing to gain (fewer than two other labels) or a value cannot sit on one Dockerfile line.
 */
export function splitLabels(labels: Labels): { first: Labels; rest: Labels } | undefined {
  const session = labels[LABELS.session];
  if (session === undefined) return undefined;
  const rest = Object.fromEntries(Object.entries(labels).filter(([key]) => key !== LABELS.session));
  if (Object.keys(rest).length < 2) return undefined;
  if (Object.entries(labels).some(([key, value]) => /[\r\n\0]/.test(key + value))) return undefined;
  return { first: { [LABELS.session]: session }, rest };
}

export type ImageBuilder = (
  docker: Dockerode,
  request: BuildRequest,
  onProgress?: (event: BuildProgress) => void,
  signal?: AbortSignal,
) => Promise<void>;

export class DockerRuntime implements Runtime {
  private readonly docker: Dockerode;

  constructor(
    private readonly client: ContainerRuntimeClient,
    private readonly builder: ImageBuilder,
    private readonly publish: PublishSettings = publishSettings(),
  ) {
    this.docker = client.container.dockerode;
  }

  async info(): Promise<EngineInfo> {
    const version = await this.docker.version();
    return { host: this.publish.connectHost, serverVersion: version.Version, apiVersion: version.ApiVersion };
  }

  async imageExists(ref: string): Promise<boolean> {
    return (await this.inspectImage(ref)) !== undefined;
  }

  async inspectImage(ref: string): Promise<ImageDetails | undefined> {
    const image = this.docker.getImage(ref);
    try {
      const [info, history] = await Promise.all([
        image.inspect(),
        image.history() as Promise<Array<{ CreatedBy: string; Size: number }>>,
      ]);
      return {
        id: info.Id,
        tags: info.RepoTags ?? [],
        labels: info.Config.Labels ?? {},
        user: info.Config.User ?? '',
        exposedPorts: Object.keys(info.Config.ExposedPorts ?? {}),
        sizeBytes: info.Size,
        created: info.Created,
        history: history.map((entry) => ({ createdBy: entry.CreatedBy, sizeBytes: entry.Size })),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
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
    const colon = target.lastIndexOf(':');
    const hasTag = colon > target.lastIndexOf('/');
    await this.docker
      .getImage(source)
      .tag({ repo: hasTag ? target.slice(0, colon) : target, tag: hasTag ? target.slice(colon + 1) : 'latest' });
  }

  async removeImage(ref: string): Promise<void> {
    try {
      await this.docker.getImage(ref).remove({ force: true });
    } catch (error) {
      if (!isImageGone(error)) throw error;
    }
  }

  async createNetwork(name: string, labels: Labels): Promise<void> {
    const existing = await this.docker.listNetworks({ filters: { name: [name] } });
    if (existing.some((network) => network.Name === name)) return;
    await this.client.network.create({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: labels });
  }

  async createVolume(name: string, labels: Labels): Promise<void> {
    // Creating an existing volume with the same name is a no-op in Docker: data survives redeploys.
    await this.docker.createVolume({ Name: name, Labels: labels });
  }

  async runContainer(spec: ContainerSpec, how: { start?: boolean } = {}): Promise<ContainerState> {
    const exposed = Object.fromEntries(spec.ports.map((port) => [`${port.container}/${port.protocol}`, {}]));
    const bindings = Object.fromEntries(
      spec.ports.map((port) => [
        `${port.container}/${port.protocol}`,
        [{ HostIp: this.publish.bindAddress, HostPort: port.host === undefined ? '' : String(port.host) }],
      ]),
    );
    const restartName = spec.restart === 'no' ? '' : spec.restart;
    const options: ContainerCreateOptions = {
      name: spec.name,
      Image: spec.image,
      Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
      Labels: spec.labels,
      ExposedPorts: exposed,
      ...(spec.command ? { Cmd: spec.command } : {}),
      ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
      ...(spec.user ? { User: spec.user } : {}),
      ...(spec.healthcheck !== undefined ? { Healthcheck: healthConfig(spec.healthcheck) } : {}),
      HostConfig: {
        NetworkMode: spec.network,
        PortBindings: bindings,
        Memory: spec.memoryBytes,
        MemorySwap: spec.memoryBytes,
        PidsLimit: spec.pidsLimit,
        RestartPolicy: { Name: restartName },
        Privileged: false,
        SecurityOpt: ['no-new-privileges'],
        Mounts: spec.volumes.map((volume) => ({
          Type: 'volume' as const,
          Source: volume.name,
          Target: volume.target,
          ReadOnly: volume.readOnly,
        })),
        ...(spec.logging ? { LogConfig: { Type: spec.logging.driver, Config: spec.logging.options } } : {}),
      },
      NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: spec.aliases } } },
    };
    const container = await this.client.container.create(options);
    if (spec.files.length > 0) await container.putArchive(await tarOf(spec.files), { path: '/' });
    if (how.start !== false) await this.client.container.start(container);
    return toState(await container.inspect());
  }

  async inspectContainer(nameOrId: string): Promise<ContainerState | undefined> {
    try {
      return toState(await this.docker.getContainer(nameOrId).inspect());
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async exec(
    container: string,
    command: string[],
    options: { user?: string; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<ExecResult> {
    const run = this.client.container.exec(this.docker.getContainer(container), command, {
      ...(options.user ? { user: options.user } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
    const timeoutMs = options.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`\`${command.join(' ')}\` in ${container} did not finish within ${timeoutMs}ms`)),
        timeoutMs,
      );
    });
    try {
      const result = await Promise.race([run, timeout]);
      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    } finally {
      clearTimeout(timer);
    }
  }

  async logs(container: string, options: { since?: Date; tail?: number } = {}): Promise<string> {
    const buffer = (await this.docker.getContainer(container).logs({
      stdout: true,
      stderr: true,
      follow: false,
      ...(options.since ? { since: dockerTime(options.since) as unknown as number } : {}),
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
    })) as unknown as Buffer;
    return demux(this.docker, buffer);
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
    const out = new PassThrough();
    let partial = '';
    out.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    this.docker.modem.demuxStream(stream, out, out);
    await new Promise<void>((resolve) => {
      const finish = () => {
        if (partial) onLine(partial);
        partial = '';
        resolve();
      };
      signal.addEventListener(
        'abort',
        () => {
          stream.destroy();
          finish();
        },
        { once: true },
      );
      stream.on('end', finish);
      stream.on('error', finish);
    });
  }

  async stopContainer(container: string, timeoutSeconds = 5): Promise<void> {
    try {
      await this.docker.getContainer(container).stop({ t: timeoutSeconds });
    } catch (error) {
      // 304: already stopped; 404: already gone. Both are the state we wanted.
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== 304 && status !== 404) throw error;
    }
  }

  async removeContainer(container: string): Promise<void> {
    try {
      await this.docker.getContainer(container).remove({ force: true, v: true });
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
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
      if ((error as { statusCode?: number }).statusCode !== 304) throw error;
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
      const status = (error as { statusCode?: number }).statusCode;
      if (status !== 404 && status !== 409 && !(resource.kind === 'image' && isImageGone(error))) throw error;
    }
  }
}
