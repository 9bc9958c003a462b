/**
 * Makes history in the workspace's git repository (created on first use, branch `main`): stage
 * files — `.gitignore` respected unless `force` — or stop tracking them, then commit, with a
 * fixed author and date so the same seed gives the same commits. Built on isomorphic-git: no git
 * binary, no hooks or repository config ever run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { resolveInWorkspace, workspacePathSchema } from '../util/workspace-path.js';
import { defineFault, FaultError } from './fault.js';

export const gitCommit = defineFault({
  type: 'git.commit',
  phase: 'workspace',
  summary:
    "Commit to the workspace's git repository (created if missing): add files (all, or listed; `force` adds ignored ones) or stop tracking some.",
  params: z.strictObject({
    message: z.string().min(1),
    add: z
      .union([z.literal('all'), z.array(workspacePathSchema).min(1)])
      .default('all')
      .meta({ description: '"all": every file not ignored by .gitignore; or a list of paths.' }),
    force: z.boolean().default(false).meta({ description: 'Add listed files even when .gitignore ignores them.' }),
    untrack: z
      .array(workspacePathSchema)
      .default([])
      .meta({ description: 'Stop tracking these (`git rm --cached`): the files stay, their history too.' }),
    author: z
      .strictObject({ name: z.string().min(1), email: z.string().min(3) })
      .default({ name: 'Shop Team', email: 'team@shop.example' }),
    date: z
      .string()
      .datetime({ offset: true })
      .default('2026-03-02T09:00:00Z')
      .meta({ description: 'Author and commit date (ISO 8601), so commits are reproducible.' }),
  }),
  async inject(ctx, params) {
    const git = await import('isomorphic-git');
    const dir = ctx.lab.workspace;
    if (!fs.existsSync(path.join(dir, '.git'))) await git.init({ fs, dir, defaultBranch: 'main' });
    if (params.add === 'all') {
      await git.add({ fs, dir, filepath: '.' });
    } else {
      for (const file of params.add) {
        if (!fs.existsSync(resolveInWorkspace(dir, file)))
          throw new FaultError(`${file} does not exist in the workspace`);
        await git.add({ fs, dir, filepath: file, force: params.force });
      }
    }
    for (const file of params.untrack) await git.remove({ fs, dir, filepath: file });
    const timestamp = Math.floor(Date.parse(params.date) / 1000);
    const who = { ...params.author, timestamp, timezoneOffset: 0 };
    const oid = await git.commit({ fs, dir, message: params.message, author: who, committer: who });
    return `committed ${oid.slice(0, 7)} "${params.message.split('\n')[0]}"`;
  },
});
