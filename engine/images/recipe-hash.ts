/**
 * An image's recipe hash: what decides whether a present image is still the one its recipe
 * builds. It covers every file of the recipe folder (path, executable bit, content) and the
 * parent's recipe hash, so editing the base recipe rebuilds everything built on it.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Relative POSIX paths of all files under `dir`, sorted so the hash is stable. */
export async function recipeFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

export async function recipeHash(dir: string, parentHash = ''): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`parent:${parentHash}\n`);
  for (const file of await recipeFiles(dir)) {
    const absolute = path.join(dir, file);
    const info = await stat(absolute);
    // The executable bit matters (an entrypoint that loses it breaks the image); owners and
    // timestamps do not, or a fresh clone would rebuild everything.
    const executable = (info.mode & 0o111) !== 0 ? 'x' : '-';
    const content = await readFile(absolute);
    hash.update(`file:${file}:${executable}:${content.length}\n`);
    hash.update(content);
  }
  return hash.digest('hex').slice(0, 16);
}
