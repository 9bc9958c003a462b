import { rm, stat } from 'node:fs/promises';
import { z } from 'zod';
import { resolveInWorkspace, workspacePathSchema } from '../util/workspace-path.js';
import { defineFault, FaultError } from './fault.js';

export const fileRemove = defineFault({
  type: 'file.remove',
  phase: 'workspace',
  summary: 'Delete a file or folder from the workspace.',
  params: z.strictObject({ file: workspacePathSchema }),
  async inject(ctx, params) {
    const absolute = resolveInWorkspace(ctx.lab.workspace, params.file);
    await stat(absolute).catch(() => {
      throw new FaultError(`${params.file} does not exist in the workspace`);
    });
    await rm(absolute, { recursive: true, force: true });
    return `removed ${params.file}`;
  },
});
