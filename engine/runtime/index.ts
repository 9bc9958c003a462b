import http from 'node:http';
import https from 'node:https';
import type Dockerode from 'dockerode';
import { buildImage } from './build-image.js';
import { getDockerode } from './docker-client.js';
import { DockerRuntime } from './docker-runtime.js';

export type * from './runtime.js';
export type { BuildProgress } from './build-progress.js';
export { LABELS } from './labels.js';
export { DockerRuntime } from './docker-runtime.js';

let runtime: Promise<DockerRuntime> | undefined;

/**
 * The Docker runtime, connected once per process (docker-client.ts: a cached endpoint checked
 * by a ping, or a quick probe then discovery), so that an unreachable engine fails in ~2 s
 * with the reason and the fix, never a hang.
 */
export function connectRuntime(): Promise<DockerRuntime> {
  runtime ??= (async () => {
    const docker = await getDockerode();
    ownAgent(docker);
    return new DockerRuntime(docker, async (docker, request, onProgress, signal) => {
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
