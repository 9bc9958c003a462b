import type { ExecResult, Runtime } from './runtime.js';

export interface PsqlTarget {
  container: string;
  database?: string;
  user?: string;
}

/**
 * Run SQL with the psql inside a PostgreSQL container, over its local socket, so no password or
 * published port is needed. User and database default to the container's POSTGRES_USER /
 * POSTGRES_DB, the same defaults the official image applies.
 */
export async function runPsql(
  runtime: Runtime,
  target: PsqlTarget,
  sql: string,
  timeoutMs = 10_000,
): Promise<ExecResult> {
  let { user, database } = target;
  if (user === undefined || database === undefined) {
    const state = await runtime.inspectContainer(target.container);
    const env = new Map(
      (state?.env ?? []).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    );
    user ??= env.get('POSTGRES_USER') ?? 'postgres';
    database ??= env.get('POSTGRES_DB') ?? user;
  }
  // -At: unaligned tuples only, so results compare as plain text; ON_ERROR_STOP makes failures visible.
  return runtime.exec(
    target.container,
    ['psql', '-v', 'ON_ERROR_STOP=1', '-At', '-U', user, '-d', database, '-c', sql],
    { timeoutMs, user: 'postgres' },
  );
}

/**
 * runPsql, with a failure (a non-zero exit) thrown in psql's own words. The caller makes the
 * error, so a fault still fails as a FaultError and a probe as a plain Error.
 */
export async function runPsqlOrThrow(
  runtime: Runtime,
  target: PsqlTarget,
  sql: string,
  error: (output: string) => Error,
): Promise<void> {
  const result = await runPsql(runtime, target, sql);
  if (result.exitCode !== 0) throw error((result.stderr || result.stdout).trim());
}
