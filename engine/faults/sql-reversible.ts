import type { z } from 'zod';
import { runPsqlOrThrow } from '../runtime/psql.js';
import { defineFault, FaultError, type FaultContext } from './fault.js';
import { reversibleSqlParams } from '../params/sql.js';

const params = reversibleSqlParams('SQL that changes the database under the running services.');

const run = (ctx: FaultContext, value: z.infer<typeof params>, sql: string, what: string) =>
  runPsqlOrThrow(
    ctx.runtime,
    { container: ctx.service(value.service).container, database: value.database, user: value.user },
    sql,
    (output) => new FaultError(`sql.reversible ${what} on ${value.service} failed: ${output}`),
  );

/**
 * `sql.reversible`: change the database under the running services, with the statement that puts
 * it back — so a probe can ask "does the service notice?" without a redeploy (`deploy.sql`
 * redeploys, which also restarts what it observes). E.g. the table a health check should read
 * renamed away: a `/health` that only opens a connection, or runs `SELECT 1`, stays 200.
 */
export const sqlReversible = defineFault({
  type: 'sql.reversible',
  phase: 'runtime',
  summary:
    'Run `statement` in a PostgreSQL service under the running services, undone by running `undo` (a probe may use it: rename a table away and watch who notices).',
  params,
  services: (value) => [value.service],
  async inject(ctx, value) {
    await run(ctx, value, value.statement, 'statement');
    return `ran SQL on ${value.service}`;
  },
  restore: {
    async undo(ctx, value) {
      await run(ctx, value, value.undo, 'undo');
    },
  },
});
