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
