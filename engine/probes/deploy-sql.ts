/**
 * The `deploy.sql` perturbation: change the database under a release, then redeploy that
 * release from scratch (data volumes kept) and watch what the deploy does about it — a
 * migration that now fails must keep the release from serving, whoever runs the migrator (a
 * job the app waits for, `migrate && app`, or nothing at all). Undone by the author's inverse
 * statement and another redeploy of the running release.
 *
 * A statement rather than a file change: what a deploy meets in production is a database in a
 * state nobody planned for, and that is what a learner's workspace cannot fake.
 */
import { deployLab } from '../deploy/deploy.js';
import { containerName, type Lab } from '../deploy/lab.js';
import type { ProgressListener } from '../deploy/progress.js';
import { readReleases } from '../deploy/releases.js';
import { runPsql } from '../runtime/psql.js';
import type { Runtime } from '../runtime/runtime.js';

export interface DeploySqlParams {
  service: string;
  statement: string;
  undo: string;
  database?: string;
  user?: string;
}

export interface DeploySqlOptions {
  lab: Lab;
  runtime: Runtime;
  stateDir: string;
  onProgress?: ProgressListener;
}

async function runStatement(options: DeploySqlOptions, params: DeploySqlParams, sql: string, what: string) {
  const result = await runPsql(
    options.runtime,
    {
      container: containerName(options.lab, params.service),
      ...(params.database !== undefined ? { database: params.database } : {}),
      ...(params.user !== undefined ? { user: params.user } : {}),
    },
    sql,
  );
  if (result.exitCode !== 0)
    throw new Error(`${what} on ${params.service} failed: ${(result.stderr || result.stdout).trim()}`);
}

/** Redeploys the running release (every service recreated, its recorded images); a failing service is the point, not an error. */
async function redeployRunning(options: DeploySqlOptions): Promise<string[]> {
  const release = (await readReleases(options.stateDir)).at(-1);
  if (!release) throw new Error('the lab has no release to redeploy');
  const pinned = Object.fromEntries(Object.entries(release.images).map(([service, image]) => [service, image.id]));
  const { services } = await deployLab({
    lab: options.lab,
    plan: release.plan,
    runtime: options.runtime,
    pinned,
    recreateAll: true,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    // Not interruptible: a redeploy stopped half-way would leave the lab half-replaced.
  });
  return Object.entries(services)
    .filter(([, deployed]) => deployed.outcome === 'not-started')
    .map(([service]) => service);
}

/** Runs the statement, then redeploys; returns what happened, in words. */
export async function redeployAfterSql(options: DeploySqlOptions, params: DeploySqlParams): Promise<string> {
  await runStatement(options, params, params.statement, 'the statement');
  const notStarted = await redeployRunning(options);
  return `changed the database on ${params.service} and redeployed the release${
    notStarted.length > 0 ? ` (not started: ${notStarted.join(', ')})` : ''
  }`;
}

/**
 * The undo: the inverse statement (written to be harmless when the statement never ran — a
 * probe interrupted before it began is undone too), then the running release redeployed.
 */
export async function undoAfterSql(options: DeploySqlOptions, params: DeploySqlParams): Promise<void> {
  await runStatement(options, params, params.undo, 'the undo statement');
  await redeployRunning(options);
}
