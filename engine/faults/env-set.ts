import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { setDotenv } from '../util/dotenv.js';
import { resolveInWorkspace, workspacePathSchema } from '../util/workspace-path.js';
import { variableNameParam } from '../params/variable-name.js';
import { defineFault } from './fault.js';

export const envSet = defineFault({
  type: 'env.set',
  phase: 'workspace',
  summary: 'Set a variable in a workspace .env file (created if missing).',
  params: z.strictObject({
    name: variableNameParam,
    value: z.union([z.string(), z.number(), z.boolean()]).transform(String),
    file: workspacePathSchema.default('.env'),
  }),
  async inject(ctx, params) {
    const absolute = resolveInWorkspace(ctx.lab.workspace, params.file);
    const source = await readFile(absolute, 'utf8').catch(() => '');
    await writeFile(absolute, setDotenv(source, params.name, params.value));
    return `set ${params.name} in ${params.file}`;
  },
});
