/**
 * The releases of a lab as a learner follows them (`breakfix releases`, `rollback`): each one's
 * number, version, images, when, what changed from the release before; which one runs; where a
 * rollback would go; and whether the workspace files still describe what runs. Reads files only.
 */
import { loadComposePlan } from '../compose/load-plan.js';
import type { DeployPlan, ServicePlan } from '../compose/plan.js';
import { usageError } from '../errors.js';
import { effectiveRelease, readReleases, rollbackTarget, type Release } from '../deploy/releases.js';
import { stateDir } from './store.js';

export interface ReleaseSummary {
  number: number;
  at: string;
  kind: Release['kind'];
  /** For a rollback: the release whose images and configuration it runs again. */
  restores?: number;
  note?: string;
  /** The images of the services built from the lab (else of every service), e.g. `notes-api:2.0.0`. */
  version: string;
  images: Record<string, string>;
  /** What differs from the release before, service by service (`api: image notes-api:1.4.0 → 2.0.0`). */
  changes: string[];
  /** The release that runs now (the last one). */
  current: boolean;
}

export interface ReleaseHistory {
  releases: ReleaseSummary[];
  /** The release whose images and configuration run now (a rollback's target). */
  running?: number;
  /** Where `breakfix rollback` without `--to` goes. */
  rollbackTo?: number;
  /**
   * Whether `breakfix apply` would deploy what runs now: false after a rollback to an older
   * configuration, or once the learner edited compose.yaml or .env; undefined when the
   * workspace cannot be read as a deploy plan.
   */
  workspaceMatches?: boolean;
}

export function versionText(plan: DeployPlan): string {
  const services = Object.values(plan.services);
  const built = services.filter((service) => service.build !== undefined);
  return [...new Set((built.length > 0 ? built : services).map((service) => service.image))].sort().join(', ');
}

/** The settings of a service a learner can change; values are not shown (an env value may be a secret). */
const SETTINGS: ReadonlyArray<keyof ServicePlan> = [
  'build',
  'command',
  'entrypoint',
  'ports',
  'secrets',
  'volumes',
  'healthcheck',
  'dependsOn',
  'user',
  'restart',
  'memLimitBytes',
  'cpus',
  'networks',
  'logging',
  'stopSignal',
  'stopGracePeriodMs',
  'init',
];

function serviceChanges(before: ServicePlan, after: ServicePlan): string[] {
  const changed: string[] = [];
  if (before.image !== after.image) changed.push(`image ${before.image} → ${after.image}`);
  const keys = new Set([...Object.keys(before.environment), ...Object.keys(after.environment)]);
  const envChanged = [...keys].filter((key) => before.environment[key] !== after.environment[key]).sort();
  if (envChanged.length > 0) changed.push(`environment ${envChanged.join(', ')}`);
  for (const key of SETTINGS) if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed.push(String(key));
  return changed;
}

export function planChanges(before: DeployPlan | undefined, after: DeployPlan): string[] {
  if (!before) return ['first release'];
  const names = [...new Set([...Object.keys(before.services), ...Object.keys(after.services)])].sort();
  const lines: string[] = [];
  for (const name of names) {
    const [was, now] = [before.services[name], after.services[name]];
    if (!was) lines.push(`${name}: added`);
    else if (!now) lines.push(`${name}: removed`);
    else {
      const changed = serviceChanges(was, now);
      if (changed.length > 0) lines.push(`${name}: ${changed.join('; ')}`);
    }
  }
  return lines;
}

/** Plans equal as deploys: the same services with the same settings and environment. */
function samePlan(a: DeployPlan, b: DeployPlan): boolean {
  return JSON.stringify(a.services) === JSON.stringify(b.services);
}

export function summarise(releases: readonly Release[]): ReleaseSummary[] {
  const last = releases.at(-1)?.number;
  return releases.map((release, index) => ({
    number: release.number,
    at: release.at,
    kind: release.kind,
    ...(release.restores !== undefined ? { restores: release.restores } : {}),
    ...(release.note ? { note: release.note } : {}),
    version: versionText(release.plan),
    images: Object.fromEntries(Object.values(release.plan.services).map((service) => [service.name, service.image])),
    changes: planChanges(releases[index - 1]?.plan, release.plan),
    current: release.number === last,
  }));
}

export async function readReleaseHistory(workspace: string): Promise<ReleaseHistory> {
  const releases = await readReleases(stateDir(workspace));
  const running = effectiveRelease(releases);
  const target = rollbackTarget(releases);
  const files = await loadComposePlan(workspace).catch(() => undefined);
  return {
    releases: summarise(releases),
    ...(running ? { running: running.number } : {}),
    ...(target ? { rollbackTo: target.number } : {}),
    ...(files && running ? { workspaceMatches: samePlan(files, running.plan) } : {}),
  };
}

/** The release `rollback [--to N]` deploys, or the refusal that says what to do instead. */
export function chooseRollback(releases: readonly Release[], to: number | undefined): Release {
  const running = effectiveRelease(releases);
  const target = rollbackTarget(releases, to);
  const list = '`breakfix releases` lists them';
  if (to !== undefined && !target)
    throw usageError(`there is no release ${to} to roll back to`, list, 'no-earlier-release');
  if (target && running && target.number === running.number)
    throw usageError(
      `release ${target.number} (${versionText(target.plan)}) is what runs now`,
      `${list}; \`breakfix rollback --to N\` returns to another one`,
      'no-earlier-release',
    );
  if (!target)
    throw usageError(
      running
        ? `there is no earlier version to roll back to: release ${running.number} runs ${versionText(running.plan)}, and no release before it ran another version`
        : 'there is no release to roll back to yet',
      running ? `${list}; \`breakfix rollback --to N\` returns to a given one` : 'run `breakfix apply` first',
      'no-earlier-release',
    );
  return target;
}
