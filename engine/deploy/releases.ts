/**
 * The release history of a lab: what each deploy ran, so `rollback` can return to the image
 * ids and configuration of an earlier release. Kept in `.breakfix/releases.json`.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeployPlan } from '../compose/plan.js';

export interface Release {
  number: number;
  at: string;
  kind: 'deploy' | 'apply' | 'rollback' | 'history';
  /** For a rollback: the release it returned to. */
  restores?: number;
  /** A short description, e.g. the lab folder of a history release. */
  note?: string;
  images: Record<string, { ref: string; id: string }>;
  plan: DeployPlan;
}

const FILE = 'releases.json';

export async function readReleases(stateDir: string): Promise<Release[]> {
  try {
    return JSON.parse(await readFile(path.join(stateDir, FILE), 'utf8')) as Release[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export async function appendRelease(stateDir: string, release: Omit<Release, 'number' | 'at'>): Promise<Release> {
  const releases = await readReleases(stateDir);
  const entry: Release = { number: (releases.at(-1)?.number ?? 0) + 1, at: new Date().toISOString(), ...release };
  const temporary = path.join(stateDir, `${FILE}.tmp`);
  await writeFile(temporary, JSON.stringify([...releases, entry], null, 2));
  await rename(temporary, path.join(stateDir, FILE));
  return entry;
}

/**
 * The release a rollback returns to: the one before whatever the current release is a copy of,
 * so rolling back twice walks two steps back rather than toggling.
 */
export function rollbackTarget(releases: Release[]): Release | undefined {
  const current = releases.at(-1);
  if (!current) return undefined;
  const effective = current.restores ?? current.number;
  return [...releases].reverse().find((release) => release.number < effective && release.kind !== 'rollback');
}
