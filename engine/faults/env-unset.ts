import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { unsetDotenv } from '../util/dotenv.js';
import { resolveInWorkspace, workspacePathSchema } from '../util/workspace-path.js';
import { variableNameParam } from '../params/variable-name.js';
import { defineFault, FaultError } from './fault.js';

export const envUnset = defineFault({
  type: 'env.unset',
  phase: 'workspace',
  summary: 'Remove a variable from a workspace .env file.',
  params: z.strictObject({
    name: variableNameParam,
    file: workspacePathSchema.default('.env'),
  }),
  async inject(ctx, params) {
    const absolute = resolveInWorkspace(ctx.lab.workspace, params.file);
    const source = await readFile(absolute, 'utf8').catch(() => {
      throw new FaultError(`${params.file} does not exist in the workspace`);
    });
    const next = unsetDotenv(source, params.name);
    if (next === undefined) throw new FaultError(`${params.file} does not set ${params.name}`);
    await writeFile(absolute, next);
    return `removed ${params.name} from ${params.file}`;
  },
});
