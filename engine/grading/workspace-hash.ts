/**
 * A hash of a workspace's files as `grade` would take them: what a durability proof and a
 * probe's remembered pass are keyed by. Its own module so that a live check can key its probes
 * without loading the grading machinery.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { STATE_DIR } from '../session/store.js';

/** What `grade` leaves out of a submission is left out of the hash too. */
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
  return hash.digest('hex');
}
