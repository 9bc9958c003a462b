/**
 * Rewrites the workspace's git history as `git filter-repo --replace-text` / `--invert-paths
 * --path` does: every commit of every branch and tag gets the same author, date and message
 * with the listed text replaced in every file and the listed paths gone; a commit left with
 * nothing to change is dropped (`--prune-empty`). The index is reset to the rewritten HEAD, as
 * filter-repo leaves it; the working tree is not touched (the learner's edits stay as they are).
 *
 * It exists so that a red team can write the fix hurried learners reach for first when a secret
 * is in the history — scrub the history — and a scenario can prove that scrubbing alone (the
 * key never rotated) fails while scrubbing after rotating passes. Hand-written on isomorphic-git
 * because no JavaScript library rewrites history, and a git binary would run the repository's
 * hooks and config from a submission.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { workspacePathSchema } from '../util/workspace-path.js';
import { defineFault, FaultError } from './fault.js';

type Git = typeof import('isomorphic-git');
type TreeEntry = Awaited<ReturnType<Git['readTree']>>['tree'][number];

const params = z
  .strictObject({
    replaceText: z
      .array(
        z.strictObject({
          find: z.string().min(1),
          replace: z.string().default('***REMOVED***'),
        }),
      )
      .default([])
      .meta({ description: 'Literal text replaced in every file of every commit (filter-repo --replace-text).' }),
    removePaths: z
      .array(workspacePathSchema)
      .default([])
      .meta({ description: 'Files or folders removed from every commit (filter-repo --invert-paths --path).' }),
  })
  .refine((value) => value.replaceText.length + value.removePaths.length > 0, {
    message: 'give replaceText or removePaths: a rewrite that changes nothing is a mistake',
    path: ['removePaths'],
  });

type Params = z.infer<typeof params>;

/** The rewrite of one repository: trees and blobs are rewritten once each, whatever shares them. */
function rewriter(git: Git, dir: string, rules: Params) {
  const removed = rules.removePaths.map((entry) => entry.replace(/\/+$/, ''));
  const blobs = new Map<string, string>();
  const trees = new Map<string, string | undefined>();
  const isRemoved = (file: string) => removed.some((entry) => file === entry || file.startsWith(`${entry}/`));

  const rewriteBlob = async (oid: string): Promise<string> => {
    const known = blobs.get(oid);
    if (known) return known;
    let result = oid;
    if (rules.replaceText.length > 0) {
      const { blob } = await git.readBlob({ fs, dir, oid });
      const text = Buffer.from(blob).toString('latin1');
      let changed = text;
      for (const { find, replace } of rules.replaceText) changed = changed.split(find).join(replace);
      // latin1 round-trips every byte: binary files stay byte-identical unless they hold the text.
      if (changed !== text) result = await git.writeBlob({ fs, dir, blob: Buffer.from(changed, 'latin1') });
    }
    blobs.set(oid, result);
    return result;
  };

  /** The rewritten tree, or undefined when nothing is left in it (git keeps no empty folder). */
  const rewriteTree = async (oid: string, prefix: string): Promise<string | undefined> => {
    const key = `${prefix}\0${oid}`;
    if (trees.has(key)) return trees.get(key);
    const { tree } = await git.readTree({ fs, dir, oid });
    const kept: TreeEntry[] = [];
    for (const entry of tree) {
      const file = prefix ? `${prefix}/${entry.path}` : entry.path;
      if (isRemoved(file)) continue;
      if (entry.type === 'tree') {
        const child = await rewriteTree(entry.oid, file);
        if (child) kept.push({ ...entry, oid: child });
      } else if (entry.type === 'blob') kept.push({ ...entry, oid: await rewriteBlob(entry.oid) });
      else kept.push(entry);
    }
    const result = kept.length === 0 ? undefined : await git.writeTree({ fs, dir, tree: kept });
    trees.set(key, result);
    return result;
  };
  return rewriteTree;
}

/** Every commit reachable from `tips`, parents before children. */
async function topological(git: Git, dir: string, tips: string[]): Promise<string[]> {
  const order: string[] = [];
  const seen = new Set<string>();
  const stack: Array<{ oid: string; expanded: boolean }> = tips.map((oid) => ({ oid, expanded: false }));
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      order.push(top.oid);
      continue;
    }
    if (seen.has(top.oid)) continue;
    seen.add(top.oid);
    stack.push({ oid: top.oid, expanded: true });
    const { commit } = await git.readCommit({ fs, dir, oid: top.oid });
    for (const parent of commit.parent) if (!seen.has(parent)) stack.push({ oid: parent, expanded: false });
  }
  return order;
}

/** A ref's commit, through an annotated tag when it is one. */
async function peel(git: Git, dir: string, oid: string): Promise<{ commit: string; tag?: string }> {
  const { type } = await git.readObject({ fs, dir, oid, format: 'parsed' });
  if (type !== 'tag') return { commit: oid };
  const { tag } = await git.readTag({ fs, dir, oid });
  return { commit: tag.object, tag: oid };
}

export const gitRewrite = defineFault({
  type: 'git.rewrite',
  phase: 'workspace',
  summary:
    "Rewrite the workspace's git history (every branch and tag) as git filter-repo does: replace text in every file, remove paths; emptied commits are dropped, the index follows HEAD, the working tree is left as it is.",
  params,
  async inject(ctx, rules) {
    const git = await import('isomorphic-git');
    const dir = ctx.lab.workspace;
    if (!fs.existsSync(path.join(dir, '.git'))) throw new FaultError('the workspace is not a git repository');
    const refs = [
      ...(await git.listBranches({ fs, dir })).map((name) => `refs/heads/${name}`),
      ...(await git.listTags({ fs, dir })).map((name) => `refs/tags/${name}`),
    ];
    const tips = new Map<string, { commit: string; tag?: string }>();
    for (const ref of refs) tips.set(ref, await peel(git, dir, await git.resolveRef({ fs, dir, ref })));
    const filesBefore = new Set(await git.listFiles({ fs, dir }));

    const rewriteTree = rewriter(git, dir, rules);
    // Old commit → its rewrite; undefined when it was dropped and nothing before it remains.
    const mapped = new Map<string, string | undefined>();
    const treeOf = new Map<string, string>();
    let dropped = 0;
    for (const oid of await topological(
      git,
      dir,
      [...tips.values()].map((tip) => tip.commit),
    )) {
      const { commit } = await git.readCommit({ fs, dir, oid });
      const parents = [...new Set(commit.parent.map((parent) => mapped.get(parent)).filter((p): p is string => !!p))];
      const tree = await rewriteTree(commit.tree, '');
      // --prune-empty: a commit whose tree is now its only parent's (or empty, with no parent) goes.
      const empty =
        parents.length <= 1 &&
        (tree === undefined ? parents.length === 0 : parents.length === 1 && treeOf.get(parents[0]!) === tree);
      if (empty || tree === undefined) {
        mapped.set(oid, parents[0]);
        dropped += 1;
        continue;
      }
      const rewritten = await git.writeCommit({
        fs,
        dir,
        commit: { message: commit.message, tree, parent: parents, author: commit.author, committer: commit.committer },
      });
      mapped.set(oid, rewritten);
      treeOf.set(rewritten, tree);
    }

    for (const [ref, tip] of tips) {
      const target = mapped.get(tip.commit);
      if (!target) {
        await git.deleteRef({ fs, dir, ref });
        continue;
      }
      let value = target;
      if (tip.tag) {
        const { tag } = await git.readTag({ fs, dir, oid: tip.tag });
        value = await git.writeTag({ fs, dir, tag: { ...tag, object: target } });
      }
      await git.writeRef({ fs, dir, ref, value, force: true });
    }
    // The index follows the rewritten HEAD; the working tree keeps the learner's files.
    const filesAfter = await git.listFiles({ fs, dir, ref: 'HEAD' }).catch(() => [] as string[]);
    for (const filepath of new Set([...filesBefore, ...filesAfter]))
      await git.resetIndex({ fs, dir, filepath, ref: 'HEAD' }).catch(async () => {
        await git.remove({ fs, dir, filepath });
      });
    return `rewrote ${mapped.size - dropped} commits of ${refs.length} refs (${dropped} left empty and dropped)`;
  },
});
