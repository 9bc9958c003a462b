/**
 * The secret a running service uses, read from inside its container (the file its `*_FILE`
 * variable names, else a default path): what a check searches history or an image for. Read
 * at check time, so a rotated secret is what is looked for, and never printed.
 */
import { z } from 'zod';
import { serviceParam } from '../params/index.js';
import type { CheckContext } from './check.js';

export const secretSource = z
  .strictObject({
    service: serviceParam,
    fileEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .optional()
      .meta({ description: 'Variable naming the secret file in the container, e.g. ADMIN_API_KEY_FILE.' }),
    file: z.string().startsWith('/').meta({ description: 'The file when the variable is not set.' }),
  })
  .meta({ description: 'Where the running service reads the secret it uses now.' });

export async function readLiveSecret(
  ctx: CheckContext,
  source: z.output<typeof secretSource>,
): Promise<{ value: string } | { error: string }> {
  const container = ctx.service(source.service).container;
  const state = await ctx.runtime.inspectContainer(container);
  if (!state?.running)
    return { error: `${source.service}: expected a running container, got ${state?.status ?? 'none'}` };
  const file = source.fileEnv ? `"\${${source.fileEnv}:-${source.file}}"` : `"${source.file}"`;
  const result = await ctx.runtime.exec(container, ['sh', '-c', `cat ${file}`], { timeoutMs: 5000 });
  const value = result.stdout.replace(/[\r\n]+$/, '');
  if (result.exitCode !== 0 || value.length < 6)
    return { error: `${source.service}: expected to read the secret it uses, got nothing readable` };
  return { value };
}
