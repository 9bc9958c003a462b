import http from 'node:http';
import https from 'node:https';
import type Dockerode from 'dockerode';
import { environmentError } from '../errors.js';
import { buildImage } from './build-image.js';
import { getDockerClient, probeDocker } from './docker-client.js';
import { DockerRuntime } from './docker-runtime.js';

export type * from './runtime.js';
export type { BuildProgress } from './build-progress.js';
export { LABELS } from './labels.js';
export { DockerRuntime } from './docker-runtime.js';

let runtime: Promise<DockerRuntime> | undefined;

/** A busy shared engine (a class's labs building at once) may take this long to answer `info`. */
const BUSY_ENGINE_MS = 20_000;

/**
 * The Docker runtime, connected once per process. The quick probe runs first so that an
 * unreachable engine (no socket, refused) fails in ~2 s with the reason and the fix, never a
 * hang; an engine that is there but slow to answer gets a longer second chance, because on a
 * loaded class machine `docker info` alone can take seconds.
 */
export function connectRuntime(): Promise<DockerRuntime> {
  runtime ??= (async () => {
    let probe = await probeDocker();
    if (!probe.reachable && probe.timedOut) probe = await probeDocker({ timeoutMs: BUSY_ENGINE_MS });
    if (!probe.reachable)
      throw environmentError(`Docker is not reachable: ${probe.reason}`, 'run `breakfix doctor --fix`');
    const client = await getDockerClient();
    ownAgent(client.container.dockerode);
    return new DockerRuntime(client, async (docker, request, onProgress, signal) => {
      await buildImage({ ...request, docker, ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) });
    });
  })().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

/**
 * Gives dockerode an HTTP agent of our own (over the unix socket or TCP/TLS alike), so that
 * `disconnectRuntime` can end every connection it opened; ssh endpoints keep docker-modem's.
 */
function ownAgent(docker: Dockerode): void {
  const modem = docker.modem as { agent?: unknown; protocol?: string };
  if (modem.agent !== undefined || modem.protocol === 'ssh') return;
  modem.agent = modem.protocol === 'https' ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
}

/** Closes the connection `connectRuntime` made, if it made one; the next call connects again. */
export async function disconnectRuntime(): Promise<void> {
  const connected = runtime;
  runtime = undefined;
  if (!connected) return;
  (await connected.catch(() => undefined))?.close();
}
