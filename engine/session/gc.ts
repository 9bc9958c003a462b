/**
 * `breakfix gc`: the reaper testcontainers' Ryuk would be, but offline. Each resource's labels
 * say which session and workspace own it; a session is live when its workspace still holds it
 * (same id, came up, not stopped) or a living process is still starting it — except a lab that
 * belongs to a process (verify, grade: `owner`) that is gone.
 */
import { LABELS } from '../runtime/labels.js';
import type { ResourceRef, Runtime } from '../runtime/runtime.js';
import { removeResources } from '../deploy/teardown.js';
import { isProcessAlive } from '../util/process-alive.js';
import { restorePending } from '../probes/pending.js';
import { readSessionFile, stateDir } from './store.js';

export interface GcReport {
  removed: Array<{ kind: ResourceRef['kind']; name: string; session: string }>;
  kept: Array<{ session: string; workspace: string }>;
  /** Live labs whose probe was interrupted (its process killed) and that gc put back. */
  restored: Array<{ session: string; workspace: string; check: string }>;
  /**
   * Dead sessions whose removal Docker refused in part (a network another lab's container is
   * still attached to, an image a running build stands on): what could go went, the rest is
   * left for the next gc. Not a failure of gc: another lab's use is not ours to break.
   */
  skipped: Array<{ session: string; reason: string }>;
}

export async function isSessionLive(sessionId: string, workspace: string | undefined): Promise<boolean> {
  if (!workspace) return false;
  const file = await readSessionFile(workspace).catch(() => undefined);
  if (!file || file.sessionId !== sessionId) return false;
  // verify's and grade's labs die with their process, even when it was killed mid-teardown.
  if (file.owner && !isProcessAlive(file.owner.pid)) return false;
  if (file.progress && isProcessAlive(file.progress.pid)) return true;
  return file.snapshot !== undefined && file.state !== 'stopped';
}

export async function collectGarbage(runtime: Runtime): Promise<GcReport> {
  const resources = await runtime.listLabelled(LABELS.session);
  const bySession = new Map<string, ResourceRef[]>();
  for (const resource of resources) {
    const session = resource.labels[LABELS.session] ?? '';
    bySession.set(session, [...(bySession.get(session) ?? []), resource]);
  }
  const report: GcReport = { removed: [], kept: [], restored: [], skipped: [] };
  for (const [session, owned] of bySession) {
    const workspace = owned.map((resource) => resource.labels[LABELS.workspace]).find((value) => value !== undefined);
    if (await isSessionLive(session, workspace)) {
      report.kept.push({ session, workspace: workspace ?? '' });
      const scenario = owned.map((resource) => resource.labels[LABELS.scenario]).find((value) => value !== undefined);
      const lab = { sessionId: session, scenarioId: scenario ?? '', workspace: workspace ?? '' };
      const restored = await restorePending(stateDir(lab.workspace), lab, runtime);
      if (restored) report.restored.push({ session, workspace: lab.workspace, check: restored.check });
      continue;
    }
    let gone = owned;
    try {
      await removeResources(runtime, owned);
    } catch (error) {
      const left = new Set((await runtime.listLabelled(LABELS.session, session)).map((resource) => resource.id));
      gone = owned.filter((resource) => !left.has(resource.id));
      report.skipped.push({ session, reason: error instanceof Error ? error.message : String(error) });
    }
    report.removed.push(...gone.map((resource) => ({ kind: resource.kind, name: resource.name, session })));
  }
  return report;
}
