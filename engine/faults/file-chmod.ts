import { chmod, stat } from 'node:fs/promises';
import { z } from 'zod';
import { resolveInWorkspace, workspacePathSchema } from '../util/workspace-path.js';
import { defineFault, FaultError } from './fault.js';

/**
 * `"0600"`, `"600"`, or a number written with octal digits (`600`): always read as octal, and
 * kept as the four-digit text (`"0600"`) so that parsing the parsed value again gives the same.
 */
const modeParam = z
  .union([z.string(), z.number().int()])
  .transform((value, ctx) => {
    const text = String(value);
    if (!/^0?[0-7]{3}$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: `must be an octal mode such as "0600", got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    return text.padStart(4, '0');
  })
  .meta({ description: 'Octal permission bits, e.g. "0600" (owner only) or "0644".' });

export const fileChmod = defineFault({
  type: 'file.chmod',
  phase: 'workspace',
  summary:
    "Change a workspace file's permission bits (e.g. a secret left 0600 by `umask 077`; secrets are mounted with their file's mode).",
  params: z.strictObject({ file: workspacePathSchema, mode: modeParam }),
  async inject(ctx, params) {
    const absolute = resolveInWorkspace(ctx.lab.workspace, params.file);
    if (!(await stat(absolute).catch(() => undefined)))
      throw new FaultError(`${params.file} does not exist in the workspace`);
    await chmod(absolute, parseInt(params.mode, 8));
    return `${params.file} is now mode ${params.mode}`;
  },
});
