/**
 * A workspace's git repository enters its hash as what it says (HEAD, refs, index entries): a
 * commit or an untracked file changes the hash — so a durability proof is not reused after a
 * history-only fix — while `git status` rewriting the index's file times does not.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitStateDigest, indexEntries } from '../../engine/grading/git-state.js';
import { workspaceHash } from '../../engine/grading/workspace-hash.js';

let dir: string;
const run = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir },
  });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bf-git-state-'));
  await writeFile(path.join(dir, 'app.txt'), 'one\n');
  await writeFile(path.join(dir, 'key.txt'), 'secret\n');
  run('init', '-q', '-b', 'main');
  run('add', '.');
  run('commit', '-q', '-m', 'first');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the git state in a workspace hash', () => {
  it('is absent without a repository', async () => {
    const plain = await mkdtemp(path.join(os.tmpdir(), 'bf-git-state-plain-'));
    expect(await gitStateDigest(plain)).toBeUndefined();
    await rm(plain, { recursive: true, force: true });
  });

  it('does not change when git status refreshes the index', async () => {
    const before = await workspaceHash(dir);
    const index = fs.readFileSync(path.join(dir, '.git', 'index'));
    // New times on the tracked files make `git status` rewrite their stat data in the index.
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(dir, 'app.txt'), later, later);
    await utimes(path.join(dir, 'key.txt'), later, later);
    run('status', '--porcelain');
    run('update-index', '--refresh');
    expect(fs.readFileSync(path.join(dir, '.git', 'index')).equals(index)).toBe(false);
    // The times changed the files' stat only; the working files hash the same.
    expect(await workspaceHash(dir)).toBe(before);
  });

  it('changes with a commit, an untracked file, a new branch and a rewritten history', async () => {
    const seen = new Set([await workspaceHash(dir)]);
    const expectNew = async () => {
      const hash = await workspaceHash(dir);
      expect(seen.has(hash)).toBe(false);
      seen.add(hash);
    };
    run('rm', '-q', '--cached', 'key.txt');
    await expectNew();
    run('commit', '-q', '-m', 'stop tracking the key');
    await expectNew();
    run('branch', 'backup');
    await expectNew();
    run('pack-refs', '--all');
    // Packing moves refs without changing what they say: the same hash would do, a new one is
    // only a re-proof; what matters is that the next change is seen.
    seen.add(await workspaceHash(dir));
    run('reset', '-q', '--soft', 'HEAD~1');
    await expectNew();
  });

  it('reads an index written by isomorphic-git (the git.commit fault) the same way', async () => {
    await writeFile(path.join(dir, 'more.txt'), 'more\n');
    await git.add({ fs, dir, filepath: 'more.txt' });
    const raw = fs.readFileSync(path.join(dir, '.git', 'index'));
    const entries = indexEntries(raw);
    expect(entries.length).toBeLessThan(raw.length);
    for (const name of ['app.txt', 'key.txt', 'more.txt'])
      expect(entries.includes(Buffer.from(`${name}\0`))).toBe(true);
  });
});
