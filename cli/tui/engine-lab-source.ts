/**
 * The TUI's lab source over the engine: one Docker connection for the whole TUI session.
 */
import type { Runtime, Scenario } from '../../engine/index.js';
import type { Engine } from '../shared/engine.js';
import type { LabSource } from './lab-source.js';

export interface EngineLabSourceOptions {
  engine: Engine;
  runtime: Runtime;
  scenario: Scenario;
  workspace: string;
  host: string;
}

export function createEngineLabSource(options: EngineLabSourceOptions): LabSource {
  const { engine, runtime, scenario, workspace } = options;
  return {
    workspace,
    host: options.host,
    scenario: {
      id: scenario.id,
      title: scenario.title,
      briefing: scenario.briefing,
      debrief: scenario.debrief,
      escalations: (scenario.escalation ?? []).map((stage) => stage.title),
    },
    start: (onNotice, signal) =>
      engine.startLab({ scenario: scenario.id, workspace, seed: scenario.seed, runtime, onNotice, signal }),
    describe: () => engine.describeLab(workspace, { runtime }),
    send: (event, onNotice) => engine.sendToLab(workspace, event, { runtime, onNotice }),
    tick: (onNotice) => engine.tickLab(workspace, { runtime, onNotice }),
    followLogs: (service, onLine, signal) =>
      engine.labLogs(workspace, service, onLine, { runtime, follow: true, tail: 200, signal }),
  };
}
