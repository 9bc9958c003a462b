/**
 * The learner label of a server session, kept beside its workspace (`<workspace>.learner`) so a
 * server that adopts the session after a crash still shows whose it is. Not inside the
 * workspace: the learner could rewrite it through the files API.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';

const fileOf = (workspace: string) => `${workspace}.learner`;

export async function saveLearnerLabel(workspace: string, learner: string | undefined): Promise<void> {
  if (learner !== undefined) await writeFile(fileOf(workspace), learner, { mode: 0o600 });
}

export async function readLearnerLabel(workspace: string): Promise<string | undefined> {
  const text = await readFile(fileOf(workspace), 'utf8').catch(() => undefined);
  return text?.trim() || undefined;
}

export async function removeLearnerLabel(workspace: string): Promise<void> {
  await rm(fileOf(workspace), { force: true });
}
