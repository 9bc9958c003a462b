import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { resolveInWorkspace, workspacePathSchema } from '../util/workspace-path.js';
import { defineFault } from './fault.js';

export const fileWrite = defineFault({
  type: 'file.write',
  phase: 'workspace',
  summary: 'Create or overwrite a workspace file with the given content.',
  params: z.strictObject({ file: workspacePathSchema, content: z.string() }),
  async inject(ctx, params) {
    const absolute = resolveInWorkspace(ctx.lab.workspace, params.file);
    await mkdir(path.dirname(absolute), { recursive: true });
    await writeFile(absolute, params.content);
    return `wrote ${params.file}`;
  },
});
