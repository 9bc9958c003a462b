/**
 * What `start` does with a workspace before a session begins there: an empty (or new) folder is
 * taken; a folder whose lab was stopped is resumed on the learner's files (same session id and
 * seed), or, with `fresh` or for another scenario, its files move to a named backup first.
 */
import { readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { usageError } from '../errors.js';
import { backupWorkspace } from './steps.js';
import { hasSession, readSessionFile, stateDir, type SessionFile } from './store.js';

/** What `start` did with the workspace, told before the long part begins. */
export interface StartedSession {
  sessionId: string;
  workspace: string;
  seed: number;
  /** The stopped lab came back on the learner's files. */
  resumed?: boolean;
  /** `--fresh`: where the learner's files went. */
  backup?: string;
}

export async function claimWorkspace(
  workspace: string,
  scenarioId: string,
  mode: 'session' | 'grade',
  fresh: boolean,
): Promise<{ resumeFrom?: SessionFile; backup?: string }> {
  let resumeFrom: SessionFile | undefined;
  let backup: string | undefined;
  if (hasSession(workspace)) {
    const existing = await readSessionFile(workspace);
    if (existing.state !== 'stopped')
      throw usageError(
        `${workspace} already holds session ${existing.sessionId} (${existing.scenarioId}, ${existing.state ?? existing.progress?.state ?? 'starting'})`,
        'use `breakfix status`, or `breakfix stop` it first',
        'workspace-taken',
      );
    if (mode === 'session' && !fresh && existing.scenarioId === scenarioId) {
      // The same lab again, on the learner's files. The releases of the stopped lab name images
      // that went with it: the history starts over with this deploy.
      resumeFrom = existing;
      await rename(
        path.join(stateDir(workspace), 'releases.json'),
        path.join(stateDir(workspace), 'releases.stopped.json'),
      ).catch(() => undefined);
    }
    // Starting afresh where a lab was stopped: the learner's files move aside, never lost.
    else if (mode === 'session') backup = await backupWorkspace(workspace);
  } else if (mode === 'session') {
    const entries = await readdir(workspace).catch(() => [] as string[]);
    if (entries.length > 0)
      throw usageError(`${workspace} is not empty`, 'choose another folder with --workspace', 'workspace-taken');
  }
  return { ...(resumeFrom ? { resumeFrom } : {}), ...(backup ? { backup } : {}) };
}
