import path from 'node:path';
import { z } from 'zod';

/** A path inside the workspace, written relative to it; `..` and absolute paths are refused. */
export const workspacePathSchema = z
  .string()
  .min(1)
  .refine((value) => !path.isAbsolute(value) && !value.split(/[\\/]/).includes('..'), {
    message: 'must be a path relative to the workspace, without ".."',
  })
  .meta({ description: 'Path relative to the workspace root.' });

/** Resolve a workspace-relative path, refusing anything that escapes the workspace. */
export function resolveInWorkspace(workspace: string, relative: string): string {
  const root = path.resolve(workspace);
  const resolved = path.resolve(root, relative);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) {
    throw new Error(`${relative}: path leaves the workspace`);
  }
  return resolved;
}
