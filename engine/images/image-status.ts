/**
 * Which of breakfix's images are present and built from the current recipes. Cheap (one
 * inspect per image, recipe hashes from a few small files), so `doctor` and every warm
 * `breakfix images` can afford it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { packageRoot } from '../paths.js';
import { LABELS } from '../runtime/labels.js';
import { isNotFound } from '../runtime/docker-client.js';
import { IMAGE_CATALOGUE, type ImageName, type ImageSpec } from './catalogue.js';
import { recipeHash } from './recipe-hash.js';

export type ImageState = 'current' | 'outdated' | 'missing';

export interface ImageStatus {
  name: ImageName;
  tag: string;
  state: ImageState;
  /** The recipe hash the image should carry. */
  recipe: string;
  /** The recipe hash it does carry, when present. */
  presentRecipe?: string;
  id?: string;
  created?: string;
  sizeBytes?: number;
}

let version: Promise<string> | undefined;

/** breakfix's package version, stamped on every image as `breakfix.version`. */
export function breakfixVersion(): Promise<string> {
  version ??= readFile(path.join(packageRoot, 'package.json'), 'utf8').then(
    (text) => (JSON.parse(text) as { version?: string }).version ?? '0.0.0',
  );
  return version;
}

/** Recipe hashes of the whole catalogue; a child's hash includes its parent's. */
export async function recipeHashes(catalogue: readonly ImageSpec[] = IMAGE_CATALOGUE): Promise<Map<ImageName, string>> {
  const hashes = new Map<ImageName, string>();
  for (const spec of catalogue) {
    const parentHash = spec.parent ? hashes.get(spec.parent) : '';
    if (parentHash === undefined)
      throw new Error(`image catalogue: ${spec.name} comes before its parent ${spec.parent}`);
    hashes.set(spec.name, await recipeHash(spec.recipeDir, parentHash));
  }
  return hashes;
}

export async function imageLabels(recipe: string): Promise<Record<string, string>> {
  return { [LABELS.recipe]: recipe, [LABELS.version]: await breakfixVersion(), [LABELS.managed]: 'true' };
}

interface InspectedImage {
  Id: string;
  Created?: string;
  Size?: number;
  Config?: { Labels?: Record<string, string> | null };
}

export async function inspectImageStatus(docker: Dockerode, spec: ImageSpec, recipe: string): Promise<ImageStatus> {
  try {
    const image = (await docker.getImage(spec.tag).inspect()) as InspectedImage;
    const presentRecipe = image.Config?.Labels?.[LABELS.recipe];
    return {
      name: spec.name,
      tag: spec.tag,
      state: presentRecipe === recipe ? 'current' : 'outdated',
      recipe,
      ...(presentRecipe !== undefined ? { presentRecipe } : {}),
      id: image.Id,
      ...(image.Created ? { created: image.Created } : {}),
      ...(image.Size !== undefined ? { sizeBytes: image.Size } : {}),
    };
  } catch (error) {
    if (isNotFound(error)) return { name: spec.name, tag: spec.tag, state: 'missing', recipe };
    throw error;
  }
}

export async function listImageStatus(
  docker: Dockerode,
  catalogue: readonly ImageSpec[] = IMAGE_CATALOGUE,
): Promise<ImageStatus[]> {
  const hashes = await recipeHashes(catalogue);
  return Promise.all(catalogue.map((spec) => inspectImageStatus(docker, spec, hashes.get(spec.name) ?? '')));
}
