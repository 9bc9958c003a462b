/**
 * The one place that obtains the Docker connection.
 *
 * The endpoint is found by testcontainers' discovery (it honours DOCKER_HOST,
 * TESTCONTAINERS_HOST_OVERRIDE, ~/.testcontainers.properties and rootless sockets), and the
 * answer is cached per user (docker-endpoint-cache.ts): a new process then opens a plain
 * dockerode client on the cached endpoint, checked by one ping, without loading testcontainers.
 * Discovery tries strategy after strategy and can take long to give up, with only "Could not
 * find a working container runtime strategy" as the reason — so before it runs, `probeDocker`,
 * a plain dockerode request (version, info) with a short deadline, says *why* Docker cannot be
 * reached.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { BreakfixError } from '../errors.js';
import {
  cacheableOptions,
  endpointKey,
  forgetCachedEndpoint,
  readCachedEndpoint,
  writeCachedEndpoint,
} from './docker-endpoint-cache.js';
import { DockerConnection, loadDockerode } from './docker-connection.js';

export type { default as Dockerode } from 'dockerode';

/** Where breakfix talks to Docker, as a user would write it in DOCKER_HOST. */
export interface DockerEndpoint {
  /** e.g. `unix:///var/run/docker.sock` or `tcp://10.0.0.5:2376`. */
  url: string;
  /** True when DOCKER_HOST chose it: breakfix must not try to start a local daemon then. */
  fromEnv: boolean;
  /** The unix socket path when the endpoint is local. */
  socketPath?: string;
}

export type DockerProbe =
  | {
      reachable: true;
      endpoint: DockerEndpoint;
      serverVersion: string;
      apiVersion: string;
      rootDir: string;
      os: string;
    }
  | {
      reachable: false;
      endpoint: DockerEndpoint;
      reason: string;
      /** Nothing answered within the deadline (a stalled or very busy engine), as opposed to a refusal. */
      timedOut?: boolean;
    };

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** Sockets testcontainers also tries, in its order: system-wide first, then rootless / Desktop. */
function candidateSockets(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = os.homedir();
  return [
    DEFAULT_SOCKET,
    ...(env.XDG_RUNTIME_DIR ? [path.join(env.XDG_RUNTIME_DIR, 'docker.sock')] : []),
    path.join(home, '.docker', 'run', 'docker.sock'),
    path.join(home, '.docker', 'desktop', 'docker.sock'),
  ];
}

export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env): DockerEndpoint {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) {
    const socketPath = dockerHost.startsWith('unix://') ? dockerHost.slice('unix://'.length) : undefined;
    return { url: dockerHost, fromEnv: true, ...(socketPath ? { socketPath } : {}) };
  }
  const socketPath = candidateSockets(env).find((candidate) => existsSync(candidate)) ?? DEFAULT_SOCKET;
  return { url: `unix://${socketPath}`, fromEnv: false, socketPath };
}

/** A short human reason from a connection error, e.g. ENOENT on the socket → "no socket at …". */
export function explainDockerError(error: unknown, endpoint: DockerEndpoint): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const where = endpoint.socketPath ?? endpoint.url;
  switch (code) {
    case 'ENOENT':
      return `no Docker socket at ${where} (is dockerd running?)`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${where} (run as root or add your user to the "docker" group)`;
    case 'ECONNREFUSED':
      return `connection refused by ${where} (dockerd is not running or not listening there)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host of DOCKER_HOST=${endpoint.url}`;
    case 'ETIMEDOUT':
      return `no answer from ${where}`;
    default: {
      const status =
        typeof error === 'object' && error !== null && 'statusCode' in error
          ? (error as { statusCode: unknown }).statusCode
          : undefined;
      if (typeof status === 'number') return `${where} answered HTTP ${status}: not a Docker Engine API`;
      const message = error instanceof Error ? error.message : String(error);
      return `${where}: ${message.split('\n')[0]}`;
    }
  }
}

/**
 * Pings the daemon with a plain dockerode client and a hard deadline. Never throws; never hangs
 * longer than `timeoutMs` (a stalled TCP DOCKER_HOST would otherwise wait for the OS timeout).
 */
export async function probeDocker(options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<DockerProbe> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const env = options.env ?? process.env;
  const endpoint = dockerEndpoint(env);
  let docker: Dockerode;
  try {
    const Dockerode = loadDockerode();
    // Without DOCKER_HOST docker-modem would pick its own default socket; pin the one we report.
    docker = endpoint.fromEnv
      ? new Dockerode({ timeout: timeoutMs })
      : new Dockerode({ socketPath: endpoint.socketPath ?? DEFAULT_SOCKET, timeout: timeoutMs });
  } catch (error) {
    return { reachable: false, endpoint, reason: explainDockerError(error, endpoint) };
  }
  // docker-modem's `timeout` destroys a stalled request; the race makes the deadline hold for
  // the three calls together.
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
  });
  try {
    const version = await Promise.race([docker.version(), deadline]);
    const info = (await Promise.race([docker.info(), deadline])) as {
      DockerRootDir?: string;
      OperatingSystem?: string;
    };
    return {
      reachable: true,
      endpoint,
      serverVersion: version.Version,
      apiVersion: version.ApiVersion,
      rootDir: info.DockerRootDir ?? '',
      os: info.OperatingSystem ?? '',
    };
  } catch (error) {
    const timedOut = (error as { code?: unknown } | null)?.code === 'ETIMEDOUT';
    return {
      reachable: false,
      endpoint,
      reason: explainDockerError(error, endpoint),
      ...(timedOut ? { timedOut } : {}),
    };
  } finally {
    clearTimeout(timer);
  }
}

let connection: Promise<DockerConnection> | undefined;

/** A busy shared engine (a class's labs building at once) may take this long to answer `info`. */
const BUSY_ENGINE_MS = 20_000;

/**
 * The Docker connection, opened once per process: from the cached endpoint when it is still
 * valid and answers a ping, else by testcontainers' discovery (whose answer is then cached).
 * A failed attempt is forgotten so that a later call (after `doctor --fix` started dockerd)
 * can succeed.
 */
export function getDockerConnection(): Promise<DockerConnection> {
  connection ??= openConnection().catch((error: unknown) => {
    connection = undefined;
    throw error;
  });
  return connection;
}

/** The dockerode client of that connection (loading dockerode, when nothing had yet). */
export async function getDockerode(): Promise<Dockerode> {
  return (await getDockerConnection()).dockerode;
}

/** The cached endpoint, when one is valid for this environment and answers within `timeoutMs`. */
async function cachedConnection(key: string, timeoutMs: number): Promise<DockerConnection | undefined> {
  const options = readCachedEndpoint(key);
  if (!options) return undefined;
  const connected = new DockerConnection(options);
  try {
    await connected.get('/_ping', timeoutMs);
  } catch {
    connected.close();
    forgetCachedEndpoint();
    return undefined;
  }
  return connected;
}

async function openConnection(): Promise<DockerConnection> {
  const key = endpointKey(candidateSockets());
  const cached = await cachedConnection(key, 2_000);
  if (cached) return cached;
  let probe = await probeDocker();
  // A busy engine is not an unreachable one: no socket or a refusal fails at once, but an
  // engine that did not answer in time gets a longer second chance (under a load of 100+ on
  // 2 cores, `docker info` alone took more than 2 s and every command exited 2).
  if (!probe.reachable && probe.timedOut) probe = await probeDocker({ timeoutMs: BUSY_ENGINE_MS });
  if (!probe.reachable) throw new DockerUnreachableError(probe.reason, probe.endpoint);
  // Loaded here only: importing testcontainers alone costs a new process ~0.3 s.
  const { getContainerRuntimeClient } = await import('testcontainers');
  const docker = (await getContainerRuntimeClient()).container.dockerode;
  const options = cacheableOptions(docker.modem as unknown as Record<string, unknown>);
  if (options) writeCachedEndpoint(key, options);
  return new DockerConnection(options, docker);
}

/** Docker did not answer the probe: the message names the cause and the command that fixes it. */
export class DockerUnreachableError extends BreakfixError {
  override name = 'DockerUnreachableError';
  constructor(
    readonly reason: string,
    readonly endpoint: DockerEndpoint,
  ) {
    super('environment', `Docker is not reachable: ${reason}`, 'run `breakfix doctor --fix`');
  }
}

/** True when a dockerode call failed because the object does not exist (HTTP 404). */
export function isNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'statusCode' in error &&
    (error as { statusCode: unknown }).statusCode === 404
  );
}

/**
 * True when removing an image failed because it is already gone. Removing an image also removes
 * its untagged parents; when two removals share such a parent (two releases of one lab, or two
 * labs built from one Dockerfile, torn down at once), the second finds it deleted under it, and
 * Docker 20.10 reports that as HTTP 500 `unrecognized image ID` (newer engines say 404).
 */
export function isImageGone(error: unknown): boolean {
  if (isNotFound(error)) return true;
  const message = error instanceof Error ? error.message : '';
  return /unrecognized image ID/i.test(message);
}
