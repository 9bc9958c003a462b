/**
 * Laying a fix (the reference solution, a wrong fix, a right fix) onto a workspace, as a
 * learner would: its files first, then its edits. An edit that cannot apply, or a fix that
 * leaves every file as it was and runs no step, is a scenario error — otherwise a wrong fix
 * "rejected" only because it never happened would look like a grader that works.
 */
import { workspaceHash } from '../grading/workspace-hash.js';
import { findFault } from '../faults/registry.js';
import type { Runtime } from '../runtime/runtime.js';
import type { VarValue } from '../scenario/schema.js';
import type { FaultEntry, SolutionStep } from '../session/scenario-view.js';
import { overlayFolder } from './overlay.js';

export interface Fix {
  title: string;
  /** Folder of files overlaid onto the workspace. */
  filesDir?: string;
  /** Workspace edits, written with the workspace fault types (compose.set, file.replace, …). */
  edits: FaultEntry[];
  then: SolutionStep[];
  /** A wrong fix expected not to deploy. */
  deploys?: boolean;
}

export class FixError extends Error {
  override name = 'FixError';
}

export async function layFix(
  workspace: string,
  fix: Pick<Fix, 'title' | 'filesDir' | 'edits' | 'then'>,
  scenario: { id: string; vars: Record<string, VarValue> },
  runtime: Runtime,
): Promise<void> {
  const before = await workspaceHash(workspace);
  if (fix.filesDir) await overlayFolder(fix.filesDir, workspace, scenario.vars);
  for (const [index, edit] of fix.edits.entries()) {
    const definition = findFault(edit.type);
    if (!definition || definition.phase !== 'workspace') throw new FixError(`${edit.type} is not a workspace edit`);
    const params = definition.params.parse(edit.params);
    try {
      // Workspace edits touch files only; the Docker side of the context is never used.
      await definition.inject(
        {
          lab: { sessionId: '', scenarioId: scenario.id, workspace },
          runtime,
          labSource: '',
          network: '',
          service: () => ({ container: '', image: '' }),
        },
        params,
      );
    } catch (error) {
      throw new FixError(
        `"${fix.title}": edit ${index + 1} (${edit.type}) does not apply: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const steps = fix.then.filter((step) => step !== 'apply');
  if (steps.length === 0 && (await workspaceHash(workspace)) === before)
    throw new FixError(`"${fix.title}" changes no file and runs no step besides apply: it proves nothing`);
}
