import { environmentError } from '../errors.js';
import { buildImage } from './build-image.js';
import { getDockerClient, probeDocker } from './docker-client.js';
import { DockerRuntime } from './docker-runtime.js';

export type * from './runtime.js';
export type { BuildProgress } from './build-progress.js';
export { LABELS } from './labels.js';
export { DockerRuntime } from './docker-runtime.js';

let runtime: Promise<DockerRuntime> | undefined;

/**
 * The Docker runtime, connected once per process. The quick probe runs first so that an
 * unreachable engine fails in ~2 s with the reason and the fix, never a hang.
 */
export function connectRuntime(): Promise<DockerRuntime> {
  runtime ??= (async () => {
    const probe = await probeDocker();
    if (!probe.reachable)
      throw environmentError(`Docker is not reachable: ${probe.reason}`, 'run `breakfix doctor --fix`');
    const client = await getDockerClient();
    return new DockerRuntime(client, async (docker, request, onProgress, signal) => {
      await buildImage({ ...request, docker, ...(onProgress ? { onProgress } : {}), ...(signal ? { signal } : {}) });
    });
  })().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}
