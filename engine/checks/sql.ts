import { z } from 'zod';
import { countRange } from '../params/range.js';
import { serviceParam } from '../params/service.js';
import { runPsql } from '../runtime/psql.js';
import { defineCheck, failed, passed } from './check.js';
import { excerpt, quote } from './text-match.js';

export const sqlCheck = defineCheck({
  type: 'sql',
  summary: 'Query a PostgreSQL service and compare the result (first column of each row, one row per line).',
  params: z.strictObject({
    service: serviceParam.default('db'),
    query: z.string().min(1),
    database: z.string().optional(),
    user: z.string().optional(),
    expect: z.strictObject({
      equals: z.union([z.string(), z.number(), z.boolean()]).transform(String).optional(),
      contains: z.string().optional(),
      rows: countRange.optional(),
    }),
  }),
  services: (params) => [params.service],
  async run(ctx, params) {
    const name = params.service;
    const container = ctx.service(name).container;
    const state = await ctx.runtime.inspectContainer(container);
    if (!state?.running)
      return failed(`${name}: expected a running database, got ${state ? state.status : 'no container'}`);
    // The message says what was asked: `db query \`SELECT count(*) FROM notes\`: expected …`.
    const asked = `${name} query \`${excerpt(params.query.replace(/\s+/g, ' '), 120)}\``;
    const result = await runPsql(
      ctx.runtime,
      { container, database: params.database, user: params.user },
      params.query,
    );
    if (result.exitCode !== 0) {
      const reason = (result.stderr || result.stdout).trim().split('\n')[0] ?? 'psql failed';
      return failed(`${asked}: expected a result, got ${quote(reason)}`, excerpt(result.stderr || result.stdout));
    }
    const output = result.stdout.replace(/\n$/, '');
    const rows = output === '' ? [] : output.split('\n');
    const evidence = excerpt(output) || '(no rows)';
    const expect = params.expect;
    if (expect.equals !== undefined && output.trim() !== expect.equals)
      return failed(`${asked}: expected ${quote(expect.equals)}, got ${quote(excerpt(output, 120))}`, evidence);
    if (expect.contains !== undefined && !output.includes(expect.contains))
      return failed(
        `${asked}: expected a result containing ${quote(expect.contains)}, got ${quote(excerpt(output, 120))}`,
        evidence,
      );
    if (expect.rows?.min !== undefined && rows.length < expect.rows.min)
      return failed(`${asked}: expected at least ${expect.rows.min} rows, got ${rows.length}`, evidence);
    if (expect.rows?.max !== undefined && rows.length > expect.rows.max)
      return failed(`${asked}: expected at most ${expect.rows.max} rows, got ${rows.length}`, evidence);
    return passed(`${asked} returned ${rows.length} row(s) as expected`, evidence);
  },
});
