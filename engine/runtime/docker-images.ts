/**
 * Image inspection, tagging and removal over dockerode, for DockerRuntime. Kept apart from the
 * runtime class because removal has its own rules (one at a time, prune leases, a second round
 * for the parents of two-step label builds).
 */
import type Dockerode from 'dockerode';
import { isImageGone, isNotFound } from './docker-client.js';
import { withPruneLease } from './image-leases.js';
import { LABELS } from './labels.js';
import type { ImageDetails, ResourceRef } from './runtime.js';

/** Docker reports ENTRYPOINT/CMD as a list, null, or (from old builders) a bare string. */
function asArgv(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value !== '' ? [value] : [];
}

export async function inspectImageDetails(docker: Dockerode, ref: string): Promise<ImageDetails | undefined> {
  const image = docker.getImage(ref);
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
      env: info.Config.Env ?? [],
      entrypoint: asArgv(info.Config.Entrypoint),
      command: asArgv(info.Config.Cmd),
      sizeBytes: info.Size,
      created: info.Created,
      history: history.map((entry) => ({ createdBy: entry.CreatedBy, sizeBytes: entry.Size })),
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export async function tagImage(docker: Dockerode, source: string, target: string): Promise<void> {
  const colon = target.lastIndexOf(':');
  const hasTag = colon > target.lastIndexOf('/');
  await docker
    .getImage(source)
    .tag({ repo: hasTag ? target.slice(0, colon) : target, tag: hasTag ? target.slice(colon + 1) : 'latest' });
}

export async function removeImage(docker: Dockerode, ref: string, options: { prune?: boolean } = {}): Promise<void> {
  try {
    await docker.getImage(ref).remove({ force: true, noprune: options.prune === false });
  } catch (error) {
    if (!isImageGone(error)) throw error;
  }
}

/**
 * One at a time: removing an image removes its untagged parents too, and a lab's images share
 * some (its releases, its fault builds); removed in parallel, two removals race for a shared
 * parent. Parents are kept while any breakfix build runs on the engine (image-leases.ts);
 * then the images of these sessions that were parents of the removed ones (the first step
 * of a two-step label build) are left dangling, and are removed in a second round.
 */
export async function removeImages(docker: Dockerode, images: ResourceRef[]): Promise<void> {
  if (images.length === 0) return;
  const sessions = [...new Set(images.flatMap((image) => image.labels[LABELS.session] ?? []))];
  await withPruneLease(docker, async (prune) => {
    let batch = images.map((image) => image.id);
    for (let round = 0; round < 4 && batch.length > 0; round += 1) {
      for (const id of batch) await removeImage(docker, id, { prune });
      if (prune) return;
      const left = await Promise.all(
        sessions.map((session) => docker.listImages({ filters: { label: [`${LABELS.session}=${session}`] } })),
      );
      batch = left.flat().map((image) => image.Id);
    }
  });
}
