/**
 * `breakfix images`: make every catalogue image present and built from its current recipe.
 * A warm run is one inspect per image and no build, so callers (doctor, quickstart, the test
 * setup, `start`) can run it unconditionally.
 */
import type Dockerode from 'dockerode';
import type { BuildProgress } from '../runtime/build-progress.js';
import { buildImage } from '../runtime/build-image.js';
import { getDockerode } from '../runtime/docker-client.js';
import { LABELS } from '../runtime/labels.js';
import { buildBaseImage } from './base-image.js';
import { IMAGE_CATALOGUE, type ImageName, type ImageSpec } from './catalogue.js';
import { imageLabels, inspectImageStatus, recipeHashes } from './image-status.js';

interface ImageRef {
  image: ImageName;
  tag: string;
}

export type ImagesProgress =
  | (ImageRef & { kind: 'current' })
  | (ImageRef & { kind: 'start'; reason: 'missing' | 'outdated' | 'rebuild' })
  | (ImageRef & BuildProgress)
  | (ImageRef & { kind: 'done'; seconds: number; origin?: 'registry' | 'debootstrap' });

export interface EnsureImagesOptions {
  /** Rebuild every image, without the build cache. */
  rebuild?: boolean;
  onProgress?: (event: ImagesProgress) => void;
  signal?: AbortSignal;
  docker?: Dockerode;
  catalogue?: readonly ImageSpec[];
  /** How long a registry gets to answer before the base image falls back to debootstrap. */
  registryTimeoutMs?: number;
}

export interface EnsuredImage {
  name: ImageName;
  tag: string;
  action: 'present' | 'built';
  seconds: number;
}

export async function ensureImages(options: EnsureImagesOptions = {}): Promise<EnsuredImage[]> {
  const docker = options.docker ?? (await getDockerode());
  const catalogue = options.catalogue ?? IMAGE_CATALOGUE;
  const hashes = await recipeHashes(catalogue);
  const results: EnsuredImage[] = [];
  for (const spec of catalogue) {
    options.signal?.throwIfAborted();
    const recipe = hashes.get(spec.name) ?? '';
    const ref: ImageRef = { image: spec.name, tag: spec.tag };
    const status = await inspectImageStatus(docker, spec, recipe);
    if (status.state === 'current' && !options.rebuild) {
      options.onProgress?.({ ...ref, kind: 'current' });
      results.push({ name: spec.name, tag: spec.tag, action: 'present', seconds: 0 });
      continue;
    }
    options.onProgress?.({
      ...ref,
      kind: 'start',
      reason: options.rebuild ? 'rebuild' : status.state === 'missing' ? 'missing' : 'outdated',
    });
    const started = performance.now();
    const onBuildProgress = (event: BuildProgress): void => options.onProgress?.({ ...ref, ...event });
    const labels = await imageLabels(recipe);
    let origin: 'registry' | 'debootstrap' | undefined;
    if (spec.kind === 'rootfs') {
      const built = await buildBaseImage({
        docker,
        recipeDir: spec.recipeDir,
        tag: spec.tag,
        labels,
        onProgress: onBuildProgress,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.registryTimeoutMs !== undefined ? { registryTimeoutMs: options.registryTimeoutMs } : {}),
      });
      origin = built.origin;
    } else {
      await buildImage({
        docker,
        context: spec.recipeDir,
        tag: spec.tag,
        labels,
        noCache: options.rebuild === true,
        onProgress: onBuildProgress,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    }
    const after = await inspectImageStatus(docker, spec, recipe);
    if (after.state !== 'current')
      throw new Error(
        `built ${spec.tag} but it carries ${LABELS.recipe}=${after.presentRecipe ?? '(none)'}, expected ${recipe}`,
      );
    if (status.id && status.id !== after.id) await removeReplacedImage(docker, status.id);
    const seconds = (performance.now() - started) / 1000;
    options.onProgress?.({ ...ref, kind: 'done', seconds, ...(origin ? { origin } : {}) });
    results.push({ name: spec.name, tag: spec.tag, action: 'built', seconds });
  }
  return results;
}

/**
 * The image a rebuild replaced is now untagged; left alone, every recipe change would leave
 * hundreds of megabytes behind. A container still using it keeps it (the removal fails, which
 * is fine: `breakfix gc` gets another chance later).
 */
async function removeReplacedImage(docker: Dockerode, id: string): Promise<void> {
  try {
    const image = (await docker.getImage(id).inspect()) as { RepoTags?: string[] | null };
    if ((image.RepoTags ?? []).length === 0) await docker.getImage(id).remove();
  } catch {
    // in use or already gone
  }
}
