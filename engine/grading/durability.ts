/**
 * The durability proof of a live `check`: the workspace is deployed into a fresh project, as
 * `grade` would deploy a submission (releases replayed, artifact and runtime faults re-created),
 * and graded there. A fix made by hand in the running lab (`docker exec … psql`, a file edited
 * inside a container) is not in the files, so it fails here. The proof is cached by a hash of
 * the workspace and the scenario: checking again without changing anything costs nothing.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SessionDeps } from '../session/session.js';
import type { RunnableScenario } from '../session/scenario-view.js';
import { STATE_DIR } from '../session/store.js';
import { gradeSubmission } from './grade.js';
import { workspaceHash } from './workspace-hash.js';
import type { GradeReport } from './report.js';
import type { DurabilityProof } from './round.js';

interface CacheFile {
  key: string;
  report: GradeReport;
}

const cachePath = (workspace: string) => path.join(workspace, STATE_DIR, 'durability.json');

async function readCache(workspace: string): Promise<CacheFile | undefined> {
  try {
    return JSON.parse(await readFile(cachePath(workspace), 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
}

async function writeCache(workspace: string, cache: CacheFile): Promise<void> {
  await mkdir(path.dirname(cachePath(workspace)), { recursive: true });
  const temporary = `${cachePath(workspace)}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(cache));
  await rename(temporary, cachePath(workspace));
}

async function cacheKey(scenario: RunnableScenario & { seed: number }, workspace: string): Promise<string> {
  return createHash('sha256')
    .update(await workspaceHash(workspace))
    .update(JSON.stringify({ scenario, seed: scenario.seed }))
    .digest('hex');
}

/**
 * Records a grade of the very same files as the workspace's proof: `verify` grades a fix's
 * files beside its live lab, so the live check need not deploy them a third time.
 */
export async function seedDurability(
  scenario: RunnableScenario & { seed: number },
  workspace: string,
  report: GradeReport,
): Promise<void> {
  await writeCache(workspace, { key: await cacheKey(scenario, workspace), report });
}

export async function proveDurability(
  scenario: RunnableScenario & { seed: number },
  workspace: string,
  deps: SessionDeps,
): Promise<DurabilityProof> {
  const started = performance.now();
  const key = await cacheKey(scenario, workspace);
  const cached = await readCache(workspace);
  if (cached?.key === key) return { report: cached.report, cached: true, seconds: 0 };
  // The fresh deploy's own progress would read like the learner's lab being rebuilt: quiet.
  const { onNotice: _quiet, ...quiet } = deps;
  const { report } = await gradeSubmission(scenario, workspace, quiet);
  // An interrupted proof proves nothing either way: not cached.
  if (!deps.signal?.aborted) await writeCache(workspace, { key, report });
  return { report, cached: false, seconds: Math.round((performance.now() - started) / 100) / 10 };
}
