/**
 * The plumbing shared by `check`, `apply`, `rollback`, `reset`, `hint` and `stop`: find the
 * workspace, connect once, send the learner's event with progress lines, hand back the result.
 */
import type { LearnerEvent, Runtime, SessionResult, SessionView } from '../../engine/index.js';
import { createProgressPrinter } from '../render/progress.js';
import { loadEngine, type Engine } from './engine.js';
import type { CommandIO } from './io.js';
import { resolveWorkspace } from './workspace.js';

export interface LabHandle {
  engine: Engine;
  workspace: string;
  runtime: Runtime;
  /** Where published ports answer: 127.0.0.1, or the machine DOCKER_HOST names. */
  host: string;
}

export async function openLab(explicitWorkspace: string | undefined): Promise<LabHandle> {
  const engine = await loadEngine();
  const workspace = resolveWorkspace(engine, explicitWorkspace);
  const runtime = await engine.connect();
  const { host } = await runtime.info();
  return { engine, workspace, runtime, host };
}

export async function sendEvent(
  lab: LabHandle,
  event: LearnerEvent,
  io: CommandIO,
  interrupt?: AbortSignal,
): Promise<SessionResult> {
  const printer = createProgressPrinter(io.progress, io.style);
  return lab.engine.sendToLab(lab.workspace, event, {
    runtime: lab.runtime,
    onNotice: (notice) => printer.onNotice(notice),
    ...(interrupt ? { interrupt } : {}),
  });
}

export function viewOf(lab: LabHandle): Promise<SessionView> {
  return lab.engine.describeLab(lab.workspace, { runtime: lab.runtime });
}
