/**
 * Unpacking an uploaded workspace (`POST /v1/grade`) without trusting it. The archive is a tar,
 * optionally gzipped. It is refused as a whole — never half-extracted — when an entry
 *
 *  - has an absolute path or a `..` segment, or a NUL byte;
 *  - is a symlink whose target is absolute or resolves outside the workspace, or a hard link to
 *    a path outside it;
 *  - is a device, a FIFO or any other special file;
 *
 * or when the archive holds more than `maxEntries` entries, more than `maxBytes` of file data,
 * or decompresses to more than `maxBytes` (a gzip bomb stops at the limit, not at the end).
 * Owners and modes from the archive are not applied beyond the permission bits.
 *
 * A workspace packed with its folder (`tar -cf ws.tar my-lab/`) is recognised: when the archive
 * holds a single top-level folder and nothing else, that folder is the workspace.
 */
import { lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Unpack } from 'tar';
import { ApiError } from './errors.js';

const gunzipAsync = promisify(gunzip);

export interface ExtractLimits {
  /** Largest archive after decompression, and largest sum of file sizes, in bytes. */
  maxBytes: number;
  maxEntries: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = { maxBytes: 100 * 1024 * 1024, maxEntries: 10_000 };

const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

function unsafe(message: string): ApiError {
  return new ApiError(
    400,
    'bad_request',
    `unsafe archive: ${message}`,
    'upload a plain tar (or tar.gz) of the workspace folder: regular files, folders and symlinks that stay inside it',
  );
}

/** A relative, normalised path inside the root, or a reason it is not one. */
export function checkArchivePath(entryPath: string): string | undefined {
  if (entryPath.includes('\0')) return 'a path contains a NUL byte';
  const posix = entryPath.replace(/\\/g, '/');
  if (posix.startsWith('/') || /^[A-Za-z]:/.test(posix)) return `${entryPath} is an absolute path`;
  if (posix.split('/').includes('..')) return `${entryPath} leaves the workspace (..)`;
  return undefined;
}

/** Where a link at `entryPath` pointing at `target` resolves, relative to the root; undefined if outside. */
export function resolveLinkTarget(entryPath: string, target: string, kind: 'symlink' | 'hardlink'): string | undefined {
  const posixTarget = target.replace(/\\/g, '/');
  if (posixTarget.startsWith('/') || /^[A-Za-z]:/.test(posixTarget)) return undefined;
  // A symlink's target is relative to the link's folder; a hard link's to the archive root.
  const base = kind === 'symlink' ? path.posix.dirname(entryPath.replace(/\\/g, '/')) : '.';
  const resolved = path.posix.normalize(path.posix.join(base, posixTarget));
  if (resolved === '..' || resolved.startsWith('../') || path.posix.isAbsolute(resolved)) return undefined;
  return resolved;
}

function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

async function decompress(data: Uint8Array, limits: ExtractLimits): Promise<Buffer> {
  if (!isGzip(data)) {
    if (data.length > limits.maxBytes)
      throw new ApiError(413, 'payload_too_large', `the archive is larger than ${limits.maxBytes} bytes`);
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }
  try {
    return await gunzipAsync(data, { maxOutputLength: limits.maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new ApiError(413, 'payload_too_large', `the archive decompresses to more than ${limits.maxBytes} bytes`);
    }
    throw new ApiError(400, 'bad_request', `the upload is not a valid gzip stream: ${(error as Error).message}`);
  }
}

/** Looks like a tar: the `ustar` magic at offset 257 of the first header (POSIX and GNU). */
function looksLikeTar(data: Buffer): boolean {
  return data.length >= 512 && data.subarray(257, 262).toString('latin1') === 'ustar';
}

/** Extracts `archive` into `target` (created) and returns the workspace folder inside it. */
export async function extractWorkspace(
  archive: Uint8Array,
  target: string,
  limits: ExtractLimits = DEFAULT_EXTRACT_LIMITS,
): Promise<string> {
  const data = await decompress(archive, limits);
  if (!looksLikeTar(data))
    throw new ApiError(
      400,
      'bad_request',
      'the upload is not a tar archive',
      'send the workspace as `tar -cf - -C DIR .` (gzip optional)',
    );

  const problems: string[] = [];
  let entries = 0;
  let bytes = 0;
  const filter = (entryPath: string, entry: unknown): boolean => {
    const header = entry as { type?: string; size?: number; linkpath?: string };
    entries += 1;
    if (entries > limits.maxEntries) {
      if (entries === limits.maxEntries + 1) problems.push(`more than ${limits.maxEntries} entries`);
      return false;
    }
    const pathProblem = checkArchivePath(entryPath);
    if (pathProblem) {
      problems.push(pathProblem);
      return false;
    }
    const type = header.type ?? 'File';
    if (!ALLOWED_TYPES.has(type)) {
      problems.push(`${entryPath} is a ${type} entry`);
      return false;
    }
    if (type === 'SymbolicLink' || type === 'Link') {
      const kind = type === 'SymbolicLink' ? 'symlink' : 'hardlink';
      if (!header.linkpath || resolveLinkTarget(entryPath, header.linkpath, kind) === undefined) {
        problems.push(`${entryPath} is a ${kind} to ${header.linkpath ?? '(nothing)'}, outside the workspace`);
        return false;
      }
    }
    bytes += header.size ?? 0;
    if (bytes > limits.maxBytes) {
      problems.push(`the files add up to more than ${limits.maxBytes} bytes`);
      return false;
    }
    return true;
  };

  await mkdir(target, { recursive: true });
  await new Promise<void>((resolve, reject) => {
    const unpack = new Unpack({
      cwd: target,
      strict: true,
      preservePaths: false,
      preserveOwner: false,
      filter,
      // Only permission bits: no setuid, setgid or sticky bit comes from an upload.
      onReadEntry: (entry) => {
        if (typeof entry.mode === 'number') entry.mode &= 0o777;
      },
      onwarn: (_code: string, message: string) => problems.push(message),
    });
    unpack.on('error', (error: Error) =>
      reject(new ApiError(400, 'bad_request', `the tar archive is damaged: ${error.message}`)),
    );
    unpack.on('close', () => resolve());
    unpack.end(data);
  });
  if (problems.length > 0)
    throw unsafe(problems.slice(0, 3).join('; ') + (problems.length > 3 ? `; and ${problems.length - 3} more` : ''));

  // A single top-level folder is the workspace (`tar -cf ws.tar my-lab/`).
  const top = await readdir(target);
  if (top.length === 1) {
    const only = path.join(target, top[0]!);
    if ((await lstat(only)).isDirectory()) return only;
  }
  return target;
}
