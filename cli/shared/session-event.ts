/**
 * The plumbing shared by the session commands (`status`, `check`, `apply`, `rollback`, `reset`,
 * `hint`, `stop`, `logs`, `watch`): find the workspace, open its LabSession (one Docker
 * connection), send the learner's event with progress lines.
 */
import type { LabCallOptions, LabSession, LearnerEvent, SessionResult, SessionView } from '../../engine/index.js';
import { createProgressPrinter } from '../render/progress.js';
import { loadEngine, type Engine } from './engine.js';
import type { CommandIO } from './io.js';
import { resolveWorkspace } from './workspace.js';

export interface LabHandle {
  engine: Engine;
  workspace: string;
  session: LabSession;
  /** Where published ports answer: 127.0.0.1, or the machine DOCKER_HOST names. */
  host: string;
}

export async function openLab(explicitWorkspace: string | undefined): Promise<LabHandle> {
  const engine = await loadEngine();
  const workspace = resolveWorkspace(engine, explicitWorkspace);
  // The person at this terminal is the learner: their progress is kept (engine/progress).
  const session = await engine.openLab(workspace, { progress: true });
  return { engine, workspace, session, host: session.host };
}

export async function sendEvent(
  lab: LabHandle,
  event: LearnerEvent,
  io: CommandIO,
  call: Pick<LabCallOptions, 'interrupt' | 'rollbackTo'> = {},
): Promise<SessionResult> {
  const printer = createProgressPrinter(io.progress, io.style);
  return lab.session.send(event, { onNotice: (notice) => printer.onNotice(notice), ...call });
}

export function viewOf(lab: LabHandle): Promise<SessionView> {
  return lab.session.describe();
}
