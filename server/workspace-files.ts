/**
 * Reading and writing files of a session's workspace for remote clients, without letting a path
 * leave the workspace: no absolute paths, no `.` or `..` segments, nothing under `.breakfix/`
 * (the engine's state: editing it must not change the session), and no component that is a
 * symlink (which could point anywhere).
 */
import { lstat, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApiError, badRequest, conflict, notFound } from './errors.js';

export const STATE_FOLDER = '.breakfix';

/** The segments of a safe relative path, or a 400 saying why it is not one. */
export function workspaceSegments(relative: string): string[] {
  if (relative.includes('\0')) throw badRequest('the path contains a NUL byte');
  if (relative.includes('\\')) throw badRequest('use / to separate folders in the path');
  if (relative.startsWith('/')) throw badRequest('the path must be relative to the workspace');
  const segments = relative.split('/').filter((segment) => segment !== '');
  if (segments.length === 0) throw badRequest('the path is empty');
  if (segments.some((segment) => segment === '.' || segment === '..'))
    throw badRequest(`${relative}: . and .. are not allowed in the path`);
  if (segments[0] === STATE_FOLDER)
    throw new ApiError(
      400,
      'bad_request',
      `${STATE_FOLDER}/ holds the session's state and cannot be read or written through the API`,
    );
  return segments;
}

/** Walks the existing part of the path: every component must be a real folder, not a symlink. */
async function walk(
  workspace: string,
  segments: string[],
): Promise<{ target: string; existing: Awaited<ReturnType<typeof lstat>> | undefined }> {
  let current = workspace;
  for (const [index, segment] of segments.entries()) {
    current = path.join(current, segment);
    const info = await lstat(current).catch(() => undefined);
    if (!info) return { target: path.join(workspace, ...segments), existing: undefined };
    if (info.isSymbolicLink())
      throw badRequest(`${segments.slice(0, index + 1).join('/')} is a symlink; the API does not follow links`);
    if (index < segments.length - 1 && !info.isDirectory())
      throw conflict(`${segments.slice(0, index + 1).join('/')} is a file, not a folder`);
    if (index === segments.length - 1) return { target: current, existing: info };
  }
  return { target: current, existing: undefined };
}

export async function writeWorkspaceFile(
  workspace: string,
  relative: string,
  content: Uint8Array,
): Promise<{ path: string; bytes: number; created: boolean }> {
  const segments = workspaceSegments(relative);
  const { target, existing } = await walk(workspace, segments);
  if (existing?.isDirectory()) throw conflict(`${segments.join('/')} is a folder`);
  await mkdir(path.dirname(target), { recursive: true });
  // Re-check after mkdir: nothing may have turned a component into a link meanwhile.
  await walk(workspace, segments);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  await writeFile(temporary, content, { mode: existing ? Number(existing.mode) & 0o777 : 0o644 });
  await rename(temporary, target);
  return { path: segments.join('/'), bytes: content.byteLength, created: existing === undefined };
}

export type WorkspaceRead =
  | { kind: 'file'; path: string; content: Buffer }
  | {
      kind: 'directory';
      path: string;
      entries: Array<{ name: string; type: 'file' | 'directory' | 'symlink' | 'other'; size: number }>;
    };

export async function readWorkspacePath(workspace: string, relative: string | undefined): Promise<WorkspaceRead> {
  const segments = relative === undefined ? [] : workspaceSegments(relative);
  const { target, existing } =
    segments.length === 0 ? { target: workspace, existing: await lstat(workspace) } : await walk(workspace, segments);
  if (!existing) throw notFound(`${segments.join('/')} does not exist in the workspace`);
  const shown = segments.join('/') || '.';
  if (existing.isFile()) return { kind: 'file', path: shown, content: await readFile(target) };
  if (!existing.isDirectory()) throw badRequest(`${shown} is not a regular file or folder`);
  const entries = await readdir(target, { withFileTypes: true });
  const listed = await Promise.all(
    entries
      .filter((entry) => !(segments.length === 0 && entry.name === STATE_FOLDER))
      .map(async (entry) => {
        const info = await lstat(path.join(target, entry.name)).catch(() => undefined);
        const type = entry.isSymbolicLink()
          ? 'symlink'
          : entry.isDirectory()
            ? 'directory'
            : entry.isFile()
              ? 'file'
              : 'other';
        return {
          name: entry.name,
          type: type as 'file' | 'directory' | 'symlink' | 'other',
          size: info && entry.isFile() ? Number(info.size) : 0,
        };
      }),
  );
  return {
    kind: 'directory',
    path: shown,
    entries: listed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}
