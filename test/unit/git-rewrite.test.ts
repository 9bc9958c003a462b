/**
 * git.rewrite on real repositories (isomorphic-git, real files): the history a red team's
 * "scrub the history" fix leaves, read back the way the git-history check reads it.
 */
import fs, { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultContext } from '../../engine/faults/fault.js';
import { FaultError } from '../../engine/faults/fault.js';
import { gitRewrite } from '../../engine/faults/git-rewrite.js';

const SECRET = 'shop-admin-7d1e93c04a5b';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

let clock = 1_770_000_000;
async function commit(dir: string, message: string, files: Record<string, string | null>): Promise<string> {
  for (const [file, content] of Object.entries(files)) {
    const absolute = path.join(dir, file);
    if (content === null) {
      rmSync(absolute);
      await git.remove({ fs, dir, filepath: file });
    } else {
      fs.mkdirSync(path.dirname(absolute), { recursive: true });
      writeFileSync(absolute, content);
      await git.add({ fs, dir, filepath: file });
    }
  }
  const who = { name: 'Shop Team', email: 'team@shop.example', timestamp: (clock += 60), timezoneOffset: 0 };
  return git.commit({ fs, dir, message, author: who, committer: who });
}

/** The team's repository: a secret committed in the middle of its history, a tag, a branch. */
async function repository(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bf-git-rewrite-'));
  dirs.push(dir);
  await git.init({ fs, dir, defaultBranch: 'main' });
  await commit(dir, 'shop 1.3.0', { 'src/config.ts': 'export const key = readSecret();\n', 'README.md': '# shop\n' });
  await commit(dir, 'admin: keep the key in config', { 'src/config.ts': `export const key = '${SECRET}';\n` });
  await commit(dir, 'ops: the key file', { 'secrets/key.txt': `${SECRET}\n` });
  await git.annotatedTag({
    fs,
    dir,
    ref: 'v1.3.1',
    message: 'release 1.3.1',
    tagger: { name: 'Shop Team', email: 'team@shop.example', timestamp: (clock += 60), timezoneOffset: 0 },
  });
  await git.branch({ fs, dir, ref: 'hotfix' });
  await commit(dir, 'docs: what /admin/stats returns', { 'README.md': '# shop\n\n/admin/stats: counts\n' });
  return dir;
}

const context = (workspace: string) => ({ lab: { workspace } }) as unknown as FaultContext;

/** Every blob's text reachable from a branch or tag, and every commit message. */
async function history(dir: string): Promise<{ texts: string[]; messages: string[]; paths: Set<string> }> {
  const refs = [...(await git.listBranches({ fs, dir })), ...(await git.listTags({ fs, dir }))];
  const commits = new Map<string, string>();
  for (const ref of refs)
    for (const entry of await git.log({ fs, dir, ref })) commits.set(entry.oid, entry.commit.message);
  const texts: string[] = [];
  const paths = new Set<string>();
  for (const oid of commits.keys()) {
    await git.walk({
      fs,
      dir,
      trees: [git.TREE({ ref: oid })],
      map: async (file, [entry]) => {
        if ((await entry?.type()) === 'blob') {
          paths.add(file);
          texts.push(Buffer.from((await entry!.content())!).toString('utf8'));
        }
        return true;
      },
    });
  }
  return { texts, messages: [...commits.values()].map((message) => message.trim()), paths };
}

describe('git.rewrite', () => {
  it('replaces the text in every commit of every branch and tag, keeps messages, and leaves the working tree', async () => {
    const dir = await repository();
    writeFileSync(path.join(dir, 'src/config.ts'), 'export const key = readSecret(); // fixed\n');
    const before = await history(dir);
    expect(before.texts.some((text) => text.includes(SECRET))).toBe(true);

    const said = await gitRewrite.inject(context(dir), gitRewrite.params.parse({ replaceText: [{ find: SECRET }] }));

    const after = await history(dir);
    expect(after.texts.some((text) => text.includes(SECRET))).toBe(false);
    expect(after.texts.some((text) => text.includes('***REMOVED***'))).toBe(true);
    expect(after.messages.sort()).toEqual(before.messages.sort());
    expect(said).toMatch(/^rewrote 4 commits of 3 refs \(0 left empty/);
    // The annotated tag is still annotated, with its message, on the rewritten commit.
    const tagOid = await git.resolveRef({ fs, dir, ref: 'refs/tags/v1.3.1' });
    const { tag } = await git.readTag({ fs, dir, oid: tagOid });
    expect(tag.message.trim()).toBe('release 1.3.1');
    expect((await git.readCommit({ fs, dir, oid: tag.object })).commit.message.trim()).toBe('ops: the key file');
    // The working tree keeps the learner's edit; the index follows the rewritten HEAD.
    expect(readFileSync(path.join(dir, 'src/config.ts'), 'utf8')).toContain('// fixed');
    const status = await git.statusMatrix({ fs, dir });
    const [, head, workdir, stage] = status.find(([file]) => file === 'secrets/key.txt')!;
    expect([head, stage]).toEqual([1, 1]);
    expect(workdir).toBe(2); // the file on disk still holds the old text: untouched
  });

  it('removes paths from every commit and drops the commits left empty', async () => {
    const dir = await repository();
    const said = await gitRewrite.inject(context(dir), gitRewrite.params.parse({ removePaths: ['secrets'] }));
    const after = await history(dir);
    expect([...after.paths].sort()).toEqual(['README.md', 'src/config.ts']);
    expect(after.messages).not.toContain('ops: the key file');
    expect(said).toContain('1 left empty and dropped');
    // The tag pointed at the dropped commit: it now points at its parent.
    const tagOid = await git.resolveRef({ fs, dir, ref: 'refs/tags/v1.3.1' });
    const { tag } = await git.readTag({ fs, dir, oid: tagOid });
    expect((await git.readCommit({ fs, dir, oid: tag.object })).commit.message.trim()).toBe(
      'admin: keep the key in config',
    );
    // No longer tracked, still on disk.
    expect(await git.listFiles({ fs, dir })).not.toContain('secrets/key.txt');
    expect(readFileSync(path.join(dir, 'secrets/key.txt'), 'utf8')).toBe(`${SECRET}\n`);
  });

  it('is the same history whichever ref is rewritten first (shared commits are rewritten once)', async () => {
    const dir = await repository();
    await gitRewrite.inject(context(dir), gitRewrite.params.parse({ replaceText: [{ find: SECRET, replace: 'x' }] }));
    const main = await git.log({ fs, dir, ref: 'main' });
    const hotfix = await git.log({ fs, dir, ref: 'hotfix' });
    expect(main[1]!.oid).toBe(hotfix[0]!.oid);
  });

  it('refuses a workspace that is not a git repository', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bf-git-rewrite-'));
    dirs.push(dir);
    await expect(
      gitRewrite.inject(context(dir), gitRewrite.params.parse({ removePaths: ['secrets'] })),
    ).rejects.toBeInstanceOf(FaultError);
  });
});
