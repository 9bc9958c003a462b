/**
 * What a workspace's git repository says, as a short digest: HEAD, every ref (loose and packed)
 * and the index's entries (mode, blob id, path). Commits and blobs are content-addressed, so
 * these pin everything the git-history check reads; a commit, an untracked secret or a
 * rewritten history changes the digest, while `git status` refreshing the index's file times
 * does not. Written by hand rather than with isomorphic-git: the workspace hash runs on every
 * `check`, and this needs three file reads, not a git library.
 */
import { createHash, type Hash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const ENTRY_STAT_BYTES = 40;
const OID_BYTES = 20;
const EXTENDED_FLAG = 0x4000;

async function readIfPresent(file: string): Promise<Buffer | undefined> {
  return readFile(file).catch(() => undefined);
}

async function hashRefs(hash: Hash, dir: string, relative: string): Promise<void> {
  const entries = await readdir(path.join(dir, relative), { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = path.posix.join(relative, entry.name);
    if (entry.isDirectory()) await hashRefs(hash, dir, child);
    else if (entry.isFile()) hash.update(`r ${child} `).update(await readFile(path.join(dir, child)));
  }
}

/**
 * The index's entries without their file-system times (versions 2 and 3; version 4 compresses
 * paths, and is hashed whole — a spurious change costs a re-proof, never a wrong verdict).
 */
export function indexEntries(index: Buffer): Buffer {
  if (index.length < 12 || index.toString('latin1', 0, 4) !== 'DIRC') return index;
  const version = index.readUInt32BE(4);
  if (version !== 2 && version !== 3) return index;
  const count = index.readUInt32BE(8);
  const parts: Buffer[] = [];
  let offset = 12;
  for (let entry = 0; entry < count; entry += 1) {
    const start = offset;
    const mode = index.subarray(start + 24, start + 28);
    const oid = index.subarray(start + ENTRY_STAT_BYTES, start + ENTRY_STAT_BYTES + OID_BYTES);
    const flags = index.readUInt16BE(start + ENTRY_STAT_BYTES + OID_BYTES);
    let pathStart = start + ENTRY_STAT_BYTES + OID_BYTES + 2;
    if (version === 3 && (flags & EXTENDED_FLAG) !== 0) pathStart += 2;
    const pathEnd = index.indexOf(0, pathStart);
    if (pathEnd < 0) return index;
    parts.push(mode, oid, index.subarray(pathStart, pathEnd + 1));
    // Entries are NUL-padded to a multiple of eight bytes (one to eight NULs after the path).
    offset = start + Math.ceil((pathEnd + 1 - start) / 8) * 8;
  }
  return Buffer.concat(parts);
}

/** The digest of `<workspace>/.git`, or undefined when the workspace has no repository. */
export async function gitStateDigest(workspace: string): Promise<string | undefined> {
  const dir = path.join(workspace, '.git');
  const head = await readIfPresent(path.join(dir, 'HEAD'));
  if (!head) return undefined;
  const hash = createHash('sha256').update('HEAD ').update(head);
  const packed = await readIfPresent(path.join(dir, 'packed-refs'));
  if (packed) hash.update('packed ').update(packed);
  await hashRefs(hash, dir, 'refs');
  const index = await readIfPresent(path.join(dir, 'index'));
  if (index) hash.update('index ').update(indexEntries(index));
  return hash.digest('hex');
}
