/**
 * A hash of a workspace's files as `grade` would take them: what a durability proof and a
 * probe's remembered pass are keyed by. Its own module so that a live check can key its probes
 * without loading the grading machinery.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { STATE_DIR } from '../session/store.js';
import { gitStateDigest } from './git-state.js';

/**
 * breakfix's own state is left out (grade drops it); `.git` is not walked file by file (its
 * objects and index times churn) but enters as the digest of what it says — grade keeps it,
 * and a commit or an untracked secret can be the whole fix.
 */
const IGNORED = new Set([STATE_DIR, '.git']);

export async function workspaceHash(workspace: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(path.join(workspace, relative), { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (relative === '' && IGNORED.has(entry.name)) continue;
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        hash.update(`d ${child}\n`);
        await walk(child);
      } else if (entry.isFile()) {
        hash.update(`f ${child}\n`);
        hash.update(await readFile(path.join(workspace, child)));
      } else if (entry.isSymbolicLink()) {
        hash.update(`l ${child}\n`);
      }
    }
  };
  await walk('');
  const git = await gitStateDigest(workspace);
  if (git) hash.update(`g ${git}\n`);
  return hash.digest('hex');
}
