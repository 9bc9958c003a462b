/**
 * `validate`'s dry run of a scenario's file edits, without Docker: the lab copied into a
 * scratch folder as `start` copies it, the workspace faults applied in order, then the solution
 * and every wrong and right fix laid on a copy of that broken workspace, edit by edit. An edit
 * that cannot apply — a `find` an earlier fault already rewrote, a key a fix removes twice — is
 * an error at its line, found in a second instead of after a lab's start in `verify`.
 *
 * The edits run through the fault types' own `inject`, so the simulation cannot disagree with
 * what `start` and `verify` do.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findFault } from '../../faults/registry.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { Problem } from '../../source/issues.js';
import type { PathSegment } from '../../source/path-format.js';
import { copyLabFiles } from '../../session/lab-copy.js';
import { overlayFolder } from '../../verify/overlay.js';
import type { Scenario } from '../instantiate.js';
import type { FaultEntry } from '../schema.js';

// Workspace edits touch files only; one that reached for Docker would be a bug worth a loud error.
const NO_DOCKER = new Proxy(
  {},
  {
    get() {
      throw new Error('a workspace edit tried to use Docker');
    },
  },
) as Runtime;

interface Edit {
  entry: FaultEntry;
  at: PathSegment[];
}

async function applyEdits(
  workspace: string,
  scenarioId: string,
  edits: readonly Edit[],
  what: string,
): Promise<Problem[]> {
  for (const { entry, at } of edits) {
    const definition = findFault(entry.type);
    // Unknown types and runtime faults among edits are the schema's to report.
    if (!definition || definition.phase !== 'workspace') continue;
    const parsed = definition.params.safeParse(entry.params);
    if (!parsed.success) continue;
    try {
      await definition.inject(
        {
          lab: { sessionId: '', scenarioId, workspace },
          runtime: NO_DOCKER,
          labSource: '',
          network: '',
          service: () => ({ container: '', image: '' }),
        },
        parsed.data,
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const params = entry.params;
      const where = typeof params.find === 'string' ? [...at, 'find'] : at;
      // The first edit that fails stops this sequence: the later ones would only fail because of it.
      return [{ path: where, part: 'value', message: `${what}: this edit does not apply (${reason})` }];
    }
  }
  return [];
}

const copyOf = async (from: string, to: string) => {
  await mkdir(path.dirname(to), { recursive: true });
  await cp(from, to, { recursive: true });
};

/** Every edit of `scenario` (instantiated for one seed) simulated on its lab's files. */
export async function simulateEdits(scenario: Scenario): Promise<Problem[]> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'breakfix-validate-'));
  try {
    const broken = path.join(scratch, 'broken');
    await copyLabFiles(scenario.labDir, broken);
    const faults = scenario.faults.map((entry, index) => ({ entry, at: ['faults', index] as PathSegment[] }));
    const problems = await applyEdits(broken, scenario.id, faults, 'on the lab after the faults before it');
    if (problems.length > 0) return problems;

    const fixes: Array<{ at: PathSegment[]; filesDir?: string; edits: FaultEntry[]; what: string }> = [
      {
        at: ['solution'],
        ...(scenario.solutionDir ? { filesDir: scenario.solutionDir } : {}),
        edits: scenario.solution.edits,
        what: "on the broken lab after the solution's files and edits before it",
      },
      ...(scenario.wrongFixes ?? []).map((fix, index) => ({
        at: ['wrongFixes', index] as PathSegment[],
        ...(fix.filesDir ? { filesDir: fix.filesDir } : {}),
        edits: fix.edits,
        what: `on the broken lab after wrong fix "${fix.title}"'s files and edits before it`,
      })),
      ...(scenario.rightFixes ?? []).map((fix, index) => ({
        at: ['rightFixes', index] as PathSegment[],
        ...(fix.filesDir ? { filesDir: fix.filesDir } : {}),
        edits: fix.edits,
        what: `on the broken lab after right fix "${fix.title}"'s files and edits before it`,
      })),
    ];
    for (const [index, fix] of fixes.entries()) {
      if (fix.edits.length === 0) continue;
      const workspace = path.join(scratch, `fix-${index}`);
      await copyOf(broken, workspace);
      if (fix.filesDir) await overlayFolder(fix.filesDir, workspace, scenario.vars);
      const edits = fix.edits.map((entry, position) => ({ entry, at: [...fix.at, 'edits', position] }));
      problems.push(...(await applyEdits(workspace, scenario.id, edits, fix.what)));
      await rm(workspace, { recursive: true, force: true });
    }
    return problems;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
