/**
 * `image.secretsExcluded` streams the image's `docker save` (every layer, hundreds of MB)
 * through a search on each check round. An image id names immutable content, so the answer for
 * one id and one set of secret values never changes: it is remembered in the workspace's state
 * folder (every `check` is a new process, hence a file), keyed by a hash of the id and the
 * values — the values themselves are never written.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeStateFile } from '../util/state-file.js';

/** Enough for every image a lab's checks scan, across a few rotations of its secrets. */
const KEEP = 32;

type Scans = Record<string, string[]>;

const fileOf = (workspace: string) => path.join(workspace, '.breakfix', 'image-scans.json');

export function scanKey(imageId: string, secrets: ReadonlyArray<readonly [string, string]>): string {
  // `encoded`: scans since secrets are also searched for base64 and hex (older answers do not count).
  return createHash('sha256')
    .update('encoded\0')
    .update(imageId)
    .update('\0')
    .update(JSON.stringify(secrets))
    .digest('hex');
}

async function readScans(workspace: string): Promise<Scans> {
  try {
    const parsed: unknown = JSON.parse(await readFile(fileOf(workspace), 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Scans) : {};
  } catch {
    return {};
  }
}

export async function rememberedScan(workspace: string, key: string): Promise<string[] | undefined> {
  const found = (await readScans(workspace))[key];
  return Array.isArray(found) && found.every((entry) => typeof entry === 'string') ? found : undefined;
}

export async function rememberScan(workspace: string, key: string, leaked: string[]): Promise<void> {
  const scans = { ...(await readScans(workspace)), [key]: leaked };
  const kept = Object.fromEntries(Object.entries(scans).slice(-KEEP));
  await writeStateFile(fileOf(workspace), JSON.stringify(kept));
}
