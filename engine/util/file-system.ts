/**
 * Looking at files without throwing: loaders report a missing file as an issue at a line, so
 * "does it exist, and what is it" must be an answer, never an exception.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** True when `target` is `root` or below it (after resolving `..`). */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** `file`, `dir`, or undefined when nothing (or something else, e.g. a socket) is there. */
export function pathKind(file: string): 'file' | 'dir' | undefined {
  try {
    const info = statSync(file);
    return info.isDirectory() ? 'dir' : info.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

export const fileExists = (file: string): boolean => pathKind(file) === 'file';
export const directoryExists = (dir: string): boolean => pathKind(dir) === 'dir';

/** The file's text, or undefined when it cannot be read. */
export function readTextIfAny(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
