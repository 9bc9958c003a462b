import { z } from 'zod';
import { runPsql } from '../runtime/psql.js';
import { defineFault, FaultError } from './fault.js';
import { serviceParam } from '../params/service.js';

export const sqlFault = defineFault({
  type: 'sql',
  phase: 'runtime',
  summary: 'Run SQL in a PostgreSQL service (drop a table, fake a migration row, revoke a grant).',
  params: z.strictObject({
    service: serviceParam.default('db'),
    statement: z.string().min(1),
    database: z.string().optional(),
    user: z.string().optional(),
  }),
  services: (params) => [params.service],
  async inject(ctx, params) {
    const result = await runPsql(
      ctx.runtime,
      { container: ctx.service(params.service).container, database: params.database, user: params.user },
      params.statement,
    );
    if (result.exitCode !== 0)
      throw new FaultError(`sql on ${params.service} failed: ${(result.stderr || result.stdout).trim()}`);
    return `ran SQL on ${params.service}`;
  },
});
