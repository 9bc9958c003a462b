/**
 * The Runtime port: everything the engine asks of a container engine. The Docker adapter
 * (docker-runtime.ts) implements it over testcontainers' runtime client and dockerode; faults
 * and checks only ever see this interface, so they can be unit-tested with a fake.
 */
import type { HealthcheckPlan, LoggingPlan, RestartPolicy } from '../compose/plan.js';
import type { BuildProgress } from './build-progress.js';

export type Labels = Record<string, string>;

export interface ContainerSpec {
  name: string;
  image: string;
  labels: Labels;
  env: Record<string, string>;
  command?: string[];
  entrypoint?: string[];
  user?: string;
  network: string;
  aliases: string[];
  /** More networks, joined before the container starts (Docker API 1.41 takes one at create). */
  extraNetworks?: Array<{ network: string; aliases: string[] }>;
  /** Published on 127.0.0.1 only; `host` undefined lets the engine choose a free port. */
  ports: Array<{ container: number; host?: number; protocol: 'tcp' | 'udp' }>;
  /** Files copied into the container before it starts (secrets): works with a remote DOCKER_HOST. */
  files: Array<{ content: string; target: string; mode: number }>;
  volumes: Array<{ name: string; target: string; readOnly: boolean }>;
  healthcheck?: HealthcheckPlan | null;
  restart: RestartPolicy;
  memoryBytes: number;
  /** CPU limit in CPUs; none when undefined. */
  cpus?: number;
  pidsLimit: number;
  logging?: LoggingPlan;
  /** Overrides the image's STOPSIGNAL (compose `stop_signal`). */
  stopSignal?: string;
  /** What a stop without an explicit timeout waits before SIGKILL (compose `stop_grace_period`). */
  stopTimeoutSeconds?: number;
  /** Docker's init as PID 1 (compose `init: true`): forwards signals, reaps zombies. */
  init?: boolean;
}

export type ContainerStatusName = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type HealthStatus = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface PublishedPort {
  container: number;
  host: number;
  protocol: 'tcp' | 'udp';
}

export interface ContainerState {
  id: string;
  name: string;
  image: string;
  imageId: string;
  status: ContainerStatusName;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  health: HealthStatus;
  /** The last health probe's output, useful evidence when a healthcheck fails. */
  healthLog: string[];
  /** The effective healthcheck command (compose's, else the image's); empty when there is none. */
  healthcheck: string[];
  restartCount: number;
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  ports: PublishedPort[];
  /** Raw `NAME=value` entries; checks compare them but never print values. */
  env: string[];
  /** The effective command and entrypoint (compose's, else the image's). */
  command: string[];
  entrypoint: string[];
  user: string;
  labels: Labels;
  networks: string[];
  memoryBytes: number;
  /** What `stopContainer` sends first: compose's `stop_signal`, else the image's STOPSIGNAL, else SIGTERM. */
  stopSignal: string;
  /** The grace period the container was created with; Docker's default (10 s) when absent. */
  stopTimeoutSeconds?: number;
  init: boolean;
  /** CPU limit in CPUs (compose `cpus`); 0 when unlimited. */
  cpus: number;
  /** Named volumes mounted in the container. */
  mounts: Array<{ volume: string; target: string; readOnly: boolean }>;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ImageDetails {
  id: string;
  tags: string[];
  labels: Labels;
  user: string;
  exposedPorts: string[];
  /** The image's own ENV, `NAME=value`. */
  env: string[];
  /** The image's ENTRYPOINT and CMD (empty when it has none). */
  entrypoint: string[];
  command: string[];
  sizeBytes: number;
  created: string;
  history: Array<{ createdBy: string; sizeBytes: number }>;
}

export interface BuildRequest {
  context: string;
  dockerfile: string;
  tag: string;
  labels: Labels;
  args: Record<string, string>;
  target?: string;
}

export interface EngineInfo {
  /** Where published ports are reached: 127.0.0.1 locally, the remote host under DOCKER_HOST. */
  host: string;
  serverVersion: string;
  apiVersion: string;
  /**
   * When the Docker engine last started (the creation time of its default `bridge` network,
   * which dockerd makes anew at every start); undefined when the engine has no such network.
   * A later value than the one recorded at a deploy means the engine restarted since.
   */
  bootedAt?: string;
}

/**
 * A breakfix helper container (engine/runtime/helper-container.ts): runs beside a lab container,
 * every capability dropped except `capabilities`, never privileged.
 */
export interface HelperSpec {
  name: string;
  image: string;
  labels: Labels;
  command: string[];
  /** Join this container's network namespace (`--network container:<name>`); none otherwise. */
  networkOf?: string;
  /** The only Linux capabilities the helper gets, e.g. NET_ADMIN for iptables. */
  capabilities: string[];
  volumes?: Array<{ name: string; target: string; readOnly: boolean }>;
  /** Memory limit; 96 MiB unless the helper needs more (a volume filled with tmpfs pages). */
  memoryBytes?: number;
}

export interface ResourceRef {
  kind: 'container' | 'network' | 'volume' | 'image';
  id: string;
  name: string;
  labels: Labels;
}

export interface Runtime {
  info(): Promise<EngineInfo>;

  imageExists(ref: string): Promise<boolean>;
  inspectImage(ref: string): Promise<ImageDetails | undefined>;
  /** `docker save`: the image as an uncompressed tar of its config and every layer. */
  saveImage(ref: string): Promise<NodeJS.ReadableStream>;
  buildImage(
    request: BuildRequest,
    onProgress?: (event: BuildProgress) => void,
    signal?: AbortSignal,
  ): Promise<ImageDetails>;
  tagImage(source: string, target: string): Promise<void>;
  /** Removes an image and (unless `prune: false`) its untagged parents; gone is success. */
  removeImage(ref: string, options?: { prune?: boolean }): Promise<void>;
  /**
   * Removes labelled images without hurting another session's build: parents are pruned only
   * while no breakfix build runs on the engine (engine/runtime/image-leases.ts).
   */
  removeImages(images: ResourceRef[]): Promise<void>;

  createNetwork(name: string, labels: Labels, options?: { internal?: boolean }): Promise<void>;
  /** `driverOpts` for the local driver, e.g. a size-limited tmpfs volume. */
  createVolume(name: string, labels: Labels, driverOpts?: Record<string, string>): Promise<void>;
  /** A volume's labels and driver options; undefined when there is no such volume. */
  inspectVolume(name: string): Promise<{ labels: Labels; driverOpts: Record<string, string> } | undefined>;

  /**
   * Create and (unless `start: false`) start; returns at once, with no readiness wait, so a
   * crashing container stays inspectable. `start: false` mirrors Compose leaving a service
   * "Created" when its dependency failed.
   */
  runContainer(spec: ContainerSpec, options?: { start?: boolean }): Promise<ContainerState>;
  inspectContainer(nameOrId: string): Promise<ContainerState | undefined>;
  exec(
    container: string,
    command: string[],
    options?: { user?: string; env?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<ExecResult>;
  logs(container: string, options?: { since?: Date; tail?: number }): Promise<string>;
  followLogs(
    container: string,
    onLine: (line: string) => void,
    signal: AbortSignal,
    options?: { since?: Date; tail?: number },
  ): Promise<void>;
  /**
   * Stops the way `docker stop` does: the container's stop signal, then SIGKILL after
   * `timeoutSeconds` (default: the container's own grace period). Stopped or gone is success.
   */
  stopContainer(container: string, timeoutSeconds?: number): Promise<void>;
  /** Removes at once (SIGKILL if it runs): stop it first for a graceful end. Gone is success. */
  removeContainer(container: string): Promise<void>;
  killContainer(container: string, signal: string): Promise<void>;
  pauseContainer(container: string): Promise<void>;
  /** Starts a created or stopped container; a running one is left as it is. */
  startContainer(container: string): Promise<void>;
  /** Resumes a paused container; one that is not paused is left as it is. */
  unpauseContainer(container: string): Promise<void>;
  /** Starts a command in a running container and returns at once; it keeps running there. */
  execDetached(
    container: string,
    command: string[],
    options?: { user?: string; env?: Record<string, string> },
  ): Promise<void>;
  updateMemory(container: string, bytes: number): Promise<void>;
  disconnectNetwork(container: string, network: string): Promise<void>;
  /** Joins a container to a network under these aliases; already connected is not an error. */
  connectNetwork(container: string, network: string, aliases: string[]): Promise<void>;

  /** Runs a helper container to completion and removes it, whatever happened. */
  runHelper(spec: HelperSpec, timeoutMs?: number): Promise<ExecResult>;
  /** Starts a helper that keeps running; one of the same name is replaced. */
  startHelper(spec: HelperSpec): Promise<void>;
  /** Stops (SIGTERM, then SIGKILL after `timeoutSeconds`) and removes a helper; undefined if absent. */
  stopHelper(name: string, timeoutSeconds?: number): Promise<(ExecResult & { wasRunning: boolean }) | undefined>;

  /** Everything carrying the label `key` (optionally `key=value`). */
  listLabelled(key: string, value?: string): Promise<ResourceRef[]>;
  removeResource(resource: ResourceRef): Promise<void>;
}
