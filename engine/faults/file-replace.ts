import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { resolveInWorkspace, workspacePathSchema } from '../util/workspace-path.js';
import { defineFault, FaultError } from './fault.js';

export const fileReplace = defineFault({
  type: 'file.replace',
  phase: 'workspace',
  summary: 'Replace text in a workspace file (literal, or a regular expression with `regex: true`).',
  params: z.strictObject({
    file: workspacePathSchema,
    find: z.string().min(1),
    replace: z.string(),
    regex: z.boolean().default(false),
    all: z.boolean().default(false).meta({ description: 'Replace every occurrence instead of the first.' }),
  }),
  async inject(ctx, params) {
    const absolute = resolveInWorkspace(ctx.lab.workspace, params.file);
    const source = await readFile(absolute, 'utf8').catch(() => {
      throw new FaultError(`${params.file} does not exist in the workspace`);
    });
    const pattern = params.regex
      ? new RegExp(params.find, params.all ? 'gm' : 'm')
      : new RegExp(params.find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), params.all ? 'g' : '');
    if (!pattern.test(source)) throw new FaultError(`${params.file} does not contain ${JSON.stringify(params.find)}`);
    pattern.lastIndex = 0;
    // A literal replacement must not interpret `$&` and friends; a regex one may use `$1`.
    const next = params.regex ? source.replace(pattern, params.replace) : source.replace(pattern, () => params.replace);
    await writeFile(absolute, next);
    return `edited ${params.file}`;
  },
});
