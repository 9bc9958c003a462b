import { buildImage } from './build-image.js';
import { getDockerConnection } from './docker-client.js';
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
    return new DockerRuntime(await getDockerConnection(), async (docker, request, onProgress, signal) => {
      await buildImage({ ...request, docker, ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) });
    });
  })().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

/** Closes the connection `connectRuntime` made, if it made one; the next call connects again. */
export async function disconnectRuntime(): Promise<void> {
  const connected = runtime;
  runtime = undefined;
  if (!connected) return;
  (await connected.catch(() => undefined))?.close();
}
