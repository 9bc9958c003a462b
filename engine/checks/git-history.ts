/**
 * The workspace's git history as evidence: a secret the running service uses must appear in no
 * commit of any branch or tag and not in the index; the lab's secret files must be ignored and
 * untracked; the history itself must still be there. Read with isomorphic-git (pure JavaScript:
 * no git binary, no hooks, no repository config that could run anything from a submission).
 * The secret is read from the running container, never from the scenario, and never printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { loadComposePlan } from '../compose/load-plan.js';
import { countRange } from '../params/range.js';
import { defineCheck, failed, passed } from './check.js';
import { readLiveSecret, secretSource } from './live-secret.js';
import { secretForms } from './secret-forms.js';

type Git = typeof import('isomorphic-git');

/** Every blob id reachable from a branch or a tag, plus the index's. */
async function reachableBlobs(git: Git, dir: string): Promise<{ blobs: Set<string>; commits: Map<string, string> }> {
  const refs = [...(await git.listBranches({ fs, dir })), ...(await git.listTags({ fs, dir }))];
  const commits = new Map<string, string>();
  for (const ref of refs) {
    for (const entry of await git.log({ fs, dir, ref }).catch(() => [])) commits.set(entry.oid, entry.commit.message);
  }
  const blobs = new Set<string>();
  const seenTrees = new Set<string>();
  const walkTree = async (oid: string): Promise<void> => {
    if (seenTrees.has(oid)) return;
    seenTrees.add(oid);
    const { tree } = await git.readTree({ fs, dir, oid });
    for (const item of tree) {
      if (item.type === 'tree') await walkTree(item.oid);
      else if (item.type === 'blob') blobs.add(item.oid);
    }
  };
  for (const oid of commits.keys()) await walkTree((await git.readCommit({ fs, dir, oid })).commit.tree);
  for (const oid of await stagedBlobs(git, dir)) blobs.add(oid);
  return { blobs, commits };
}

async function stagedBlobs(git: Git, dir: string): Promise<string[]> {
  const found = await git.walk({
    fs,
    dir,
    trees: [git.STAGE()],
    map: async (_file, [entry]) => ((await entry?.type()) === 'blob' ? entry?.oid() : undefined),
  });
  return (found as Array<string | undefined>).flat().filter((oid): oid is string => typeof oid === 'string');
}

async function trackedFiles(git: Git, dir: string): Promise<Set<string>> {
  return new Set(await git.listFiles({ fs, dir }));
}

export const gitHistoryCheck = defineCheck({
  type: 'git-history',
  summary:
    "Search the workspace's git history (every branch and tag, and the index) for the secret a running service uses; secret files ignored; history kept.",
  params: z.strictObject({
    secret: secretSource.optional(),
    expect: z.strictObject({
      secretAbsent: z.boolean().optional().meta({
        description:
          'The live secret is in no committed file and not staged, as it is nor base64- or hex-encoded (needs `secret`).',
      }),
      secretsIgnored: z
        .boolean()
        .optional()
        .meta({ description: 'Every file secret of compose.yaml is ignored by git and not tracked.' }),
      commits: countRange.optional().meta({ description: 'How many commits are reachable (history not thrown away).' }),
      messages: z
        .array(z.string().min(1))
        .optional()
        .meta({ description: 'Commits with these first lines are still reachable.' }),
    }),
  }),
  services: (params) => (params.secret ? [params.secret.service] : []),
  async run(ctx, params) {
    const dir = ctx.lab.workspace;
    if (!fs.existsSync(path.join(dir, '.git')))
      return failed('the workspace: expected a git repository (its history is part of what is graded), got none');
    const git = await import('isomorphic-git');
    const { blobs, commits } = await reachableBlobs(git, dir);
    const expect = params.expect;
    const evidence = `${commits.size} commits, ${blobs.size} file versions searched`;

    if (expect.commits) {
      const { min, max } = expect.commits;
      if ((min !== undefined && commits.size < min) || (max !== undefined && commits.size > max))
        return failed(
          `git history: expected ${min !== undefined ? `at least ${min}` : `at most ${max}`} commits, got ${commits.size}`,
          evidence,
        );
    }
    for (const wanted of expect.messages ?? []) {
      if (![...commits.values()].some((message) => message.split('\n')[0]?.trim() === wanted))
        return failed(`git history: expected the commit "${wanted}" to still be there, got no such commit`, evidence);
    }
    if (expect.secretsIgnored) {
      const plan = await loadComposePlan(dir).catch(() => undefined);
      if (!plan) return failed('compose.yaml: expected it to load, got errors (run `breakfix apply` to see them)');
      const files = new Set(
        Object.values(plan.services).flatMap((service) =>
          service.secrets.map((secret) => path.relative(dir, secret.file)),
        ),
      );
      const tracked = await trackedFiles(git, dir);
      for (const file of [...files].sort()) {
        if (tracked.has(file))
          return failed(`git: expected the secret file ${file} not to be tracked, got it in the index`, evidence);
        if (!(await git.isIgnored({ fs, dir, filepath: file })))
          return failed(
            `git: expected the secret file ${file} to be ignored (.gitignore), got it not ignored`,
            evidence,
          );
      }
    }
    if (expect.secretAbsent) {
      if (!params.secret) return failed('git-history: expected a `secret` to look for, got none (scenario error)');
      const live = await readLiveSecret(ctx, params.secret);
      if ('error' in live) return failed(live.error ?? 'no secret', evidence);
      // As it is or encoded (base64, hex): an encoded secret committed is still the secret.
      const needles = secretForms(live.value);
      for (const oid of blobs) {
        const { blob } = await git.readBlob({ fs, dir, oid });
        const bytes = Buffer.from(blob);
        if (needles.some((needle) => bytes.includes(needle)))
          return failed(
            `git history: expected the secret ${params.secret.service} uses now to be in no commit, got it in a committed or staged file`,
            evidence,
          );
      }
    }
    return passed(`git history: ${evidence}, nothing to object to`, evidence);
  },
});
