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
import { containerName } from '../deploy/lab.js';
import { runPsqlOrThrow } from '../runtime/psql.js';
import { redeploy, runningRelease, type RedeployOptions } from './redeploy.js';

export interface DeploySqlParams {
  service: string;
  statement: string;
  undo: string;
  database?: string;
  user?: string;
}

export interface DeploySqlOptions extends RedeployOptions {
  stateDir: string;
}

const runStatement = (options: DeploySqlOptions, params: DeploySqlParams, sql: string, what: string) =>
  runPsqlOrThrow(
    options.runtime,
    {
      container: containerName(options.lab, params.service),
      ...(params.database !== undefined ? { database: params.database } : {}),
      ...(params.user !== undefined ? { user: params.user } : {}),
    },
    sql,
    (output) => new Error(`${what} on ${params.service} failed: ${output}`),
  );

/** Redeploys the running release, every service recreated; a service that does not start is the point, not an error. */
async function redeployRunning(options: DeploySqlOptions): Promise<string[]> {
  const { services } = await redeploy(options, await runningRelease(options.stateDir), { recreateAll: true });
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
