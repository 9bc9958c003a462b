/**
 * The release history of a lab: what each deploy ran, so `rollback` can return to the image
 * ids and configuration of an earlier release. Kept in `.breakfix/releases.json`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeployPlan } from '../compose/plan.js';
import { writeStateFile } from '../util/state-file.js';

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
  await writeStateFile(path.join(stateDir, FILE), JSON.stringify([...releases, entry], null, 2));
  return entry;
}

/** What a release runs, as a team names it: the image references its compose file deploys. */
function versionOf(release: Release): string {
  return JSON.stringify(
    Object.values(release.plan.services)
      .map((service) => [service.name, service.image])
      .sort(),
  );
}

/** The release whose images and configuration run now: a rollback runs the one it restored. */
export function effectiveRelease(releases: readonly Release[]): Release | undefined {
  const current = releases.at(-1);
  if (!current) return undefined;
  return releases.find((release) => release.number === (current.restores ?? current.number)) ?? current;
}

/**
 * The release a rollback returns to. With `to`, that release (any earlier or later one but
 * the one running). Without, the latest earlier release that ran a different version (other
 * image references) than the current one: re-applying the same version to fix a config value
 * is not a version to roll back to, and rolling back twice walks two versions back.
 */
export function rollbackTarget(releases: readonly Release[], to?: number): Release | undefined {
  const effective = effectiveRelease(releases);
  if (!effective) return undefined;
  if (to !== undefined) return releases.find((release) => release.number === to);
  const version = versionOf(effective);
  return [...releases]
    .reverse()
    .find(
      (release) => release.number < effective.number && release.kind !== 'rollback' && versionOf(release) !== version,
    );
}
