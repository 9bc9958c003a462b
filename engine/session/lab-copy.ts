/**
 * Laying a lab's files into a workspace, as `start` does: everything but what belongs to the
 * instructor. Its own module so that `validate`'s dry run copies labs the same way without
 * loading the session machinery.
 */
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';

/** What of a lab is the instructor's: never copied into a learner's workspace. */
export const LAB_PRIVATE_ENTRIES = ['releases', 'fixes', 'INSTRUCTOR.md'];

/** `labSource` is the lab's real folder (symlinks resolved by the scenario loader). */
export async function copyLabFiles(labSource: string, workspace: string): Promise<void> {
  await mkdir(workspace, { recursive: true });
  const top = new Set(LAB_PRIVATE_ENTRIES.map((name) => path.join(labSource, name)));
  await cp(labSource, workspace, { recursive: true, filter: (source) => !top.has(source) });
}
