/**
 * `breakfix gc`: the reaper testcontainers' Ryuk would be, but offline. Each resource's labels
 * say which session and workspace own it; a session is live when its workspace still holds it
 * (same id, came up, not stopped) or a living process is still starting it.
 */
import { LABELS } from '../runtime/labels.js';
import type { ResourceRef, Runtime } from '../runtime/runtime.js';
import { removeResources } from '../deploy/teardown.js';
import { isProcessAlive } from '../util/process-alive.js';
import { readSessionFile } from './store.js';

export interface GcReport {
  removed: Array<{ kind: ResourceRef['kind']; name: string; session: string }>;
  kept: Array<{ session: string; workspace: string }>;
}

export async function isSessionLive(sessionId: string, workspace: string | undefined): Promise<boolean> {
  if (!workspace) return false;
  const file = await readSessionFile(workspace).catch(() => undefined);
  if (!file || file.sessionId !== sessionId) return false;
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
  const report: GcReport = { removed: [], kept: [] };
  for (const [session, owned] of bySession) {
    const workspace = owned.map((resource) => resource.labels[LABELS.workspace]).find((value) => value !== undefined);
    if (await isSessionLive(session, workspace)) {
      report.kept.push({ session, workspace: workspace ?? '' });
      continue;
    }
    await removeResources(runtime, owned);
    report.removed.push(...owned.map((resource) => ({ kind: resource.kind, name: resource.name, session })));
  }
  return report;
}
