/**
 * Copies a submitted workspace into a sandbox before grading it. The rules come only from the
 * scenario, so what a submission carries to change them is dropped: its `.breakfix/` state, a
 * `scenario.yaml` of its own (never read), and symlinks that lead outside the submission
 * (a secret `file:` pointing at /etc/shadow must not end up inside a container).
 */
import { cp, lstat, mkdir, readdir, readlink, realpath, rm } from 'node:fs/promises';
import path from 'node:path';

// `.git` is kept: a repository's history can be what a scenario grades (a secret committed once
// stays in it). It is data to the grader — read by isomorphic-git, never by a git binary, so no
// hook or repository config of a submission ever runs.
const DROPPED = new Set(['.breakfix']);

export interface SandboxCopy {
  /** What was left out, relative to the submission, with the reason. */
  dropped: Array<{ path: string; reason: string }>;
}

export async function copySubmission(submission: string, sandbox: string): Promise<SandboxCopy> {
  const root = await realpath(submission);
  const dropped: SandboxCopy['dropped'] = [];
  await mkdir(sandbox, { recursive: true });
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (relative === '' && DROPPED.has(entry.name)) {
        dropped.push({ path: child, reason: 'breakfix state is recreated by the grader' });
        continue;
      }
      const source = path.join(root, child);
      const info = await lstat(source);
      if (info.isSymbolicLink()) {
        const target = await realpath(source).catch(() => undefined);
        if (!target || (target !== root && !target.startsWith(root + path.sep))) {
          dropped.push({ path: child, reason: `symlink to ${await readlink(source)} leaves the submission` });
          continue;
        }
        await cp(source, path.join(sandbox, child), { verbatimSymlinks: true });
      } else if (info.isDirectory()) {
        await mkdir(path.join(sandbox, child), { recursive: true });
        await walk(child);
      } else if (info.isFile()) {
        await cp(source, path.join(sandbox, child));
      }
    }
  };
  await walk('');
  return { dropped };
}

export async function removeSandbox(sandbox: string): Promise<void> {
  await rm(sandbox, { recursive: true, force: true });
}
