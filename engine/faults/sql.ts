import { runPsqlOrThrow } from '../runtime/psql.js';
import { defineFault, FaultError } from './fault.js';
import { sqlParams } from '../params/sql.js';

export const sqlFault = defineFault({
  type: 'sql',
  phase: 'runtime',
  summary: 'Run SQL in a PostgreSQL service (drop a table, fake a migration row, revoke a grant).',
  params: sqlParams,
  services: (params) => [params.service],
  async inject(ctx, params) {
    await runPsqlOrThrow(
      ctx.runtime,
      { container: ctx.service(params.service).container, database: params.database, user: params.user },
      params.statement,
      (output) => new FaultError(`sql on ${params.service} failed: ${output}`),
    );
    return `ran SQL on ${params.service}`;
  },
});
