/**
 * Learner ids: the label a grading or a server session carries so course staff can tell whose
 * result it is (a GitHub login, a student number, an e-mail address, a name). One rule for the
 * CLI (`grade --learner`), the HTTP API (`POST /v1/sessions`, `POST /v1/grade`) and the class
 * roll-up, so an id accepted in one place is accepted in all.
 */
import { execFile } from 'node:child_process';

/** Letters and digits, then also spaces and `. _ @ + ' -`; at most 100 characters. */
export const LEARNER_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} ._@+'-]{0,99}$/u;

export const LEARNER_RULE =
  "a learner id: at most 100 characters, starting with a letter or digit, then letters, digits, spaces and . _ @ + ' -";

/** The id as given, trimmed, or undefined when it breaks the rule. */
export function normaliseLearner(value: string): string | undefined {
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return LEARNER_PATTERN.test(trimmed) ? trimmed : undefined;
}

/** git's `user.name` as seen from `cwd` (the repository's own, else the global one). */
function gitUserName(cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd, timeout: 5_000 }, (error, stdout) =>
      resolve(error ? undefined : stdout.trim() || undefined),
    );
  });
}

/**
 * Who is being graded when `--learner` is not given: GITHUB_ACTOR (the account that pushed, in
 * GitHub Actions and so in GitHub Classroom), else git's user.name; undefined when neither
 * names a valid learner id.
 */
export async function defaultLearner(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  for (const candidate of [env.GITHUB_ACTOR, await gitUserName(cwd)]) {
    const learner = candidate ? normaliseLearner(candidate) : undefined;
    if (learner) return learner;
  }
  return undefined;
}
