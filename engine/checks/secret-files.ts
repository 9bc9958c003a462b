/**
 * Secrets a check looks for, read from the learner's workspace at check time (a rotated secret
 * is what counts): each file's content without its trailing newline, as apps read `*_FILE`
 * secrets. The values are compared, never printed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const workspaceFile = z
  .string()
  .min(1)
  .refine(
    (file) => !file.startsWith('/') && !file.split(/[\\/]/).includes('..'),
    'must be a file inside the workspace, without ".."',
  );

/** A secret shorter than this would match random bytes of an image or a config. */
const MIN_SECRET = 6;

/** `[file, value]` pairs, or why one cannot be used. */
export async function readSecrets(workspace: string, files: string[]): Promise<Array<[string, string]> | string> {
  const out: Array<[string, string]> = [];
  for (const file of files) {
    const content = await readFile(path.join(workspace, file), 'utf8').catch(() => undefined);
    if (content === undefined) return `expected the secret file ${file} in the workspace, got none`;
    const value = content.replace(/\r?\n$/, '');
    if (value.length < MIN_SECRET)
      return `expected a secret of at least ${MIN_SECRET} characters in ${file}, got ${value.length}`;
    out.push([file, value]);
  }
  return out;
}
