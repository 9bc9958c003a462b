/**
 * Opens the TUI for `breakfix start` at a terminal and turns how it ended into the exit code
 * and one line on the normal screen (the TUI draws on the alternate screen, which vanishes).
 */
import { render } from 'ink';
import { nextScenarioAfter, type LabSession } from '../../engine/index.js';
import { colorEnabled } from '../shared/terminal.js';
import { App } from './App.js';
import type { TuiOutcome } from './outcome.js';
import type { ExitOutcome } from '../shared/exit.js';

export interface TuiCommandOptions {
  /** The lab to start (`start`: a handle from createLab) or to open (`attach`). */
  lab: LabSession;
  mode: 'start' | 'attach';
}

/** How the command ends for each way the TUI ends (the codes are in cli/shared/exit.ts). */
export const TUI_EXITS: Record<TuiOutcome['kind'], ExitOutcome> = {
  'left-running': 'ok',
  stopped: 'ok',
  interrupted: 'interrupted',
  failed: 'error',
};

export function outcomeLine(
  outcome: TuiOutcome,
  workspace: string,
  scenarioId: string,
): { stream: 'out' | 'err'; text: string } {
  switch (outcome.kind) {
    case 'left-running':
      return {
        stream: 'out',
        text: `The lab keeps running in ${workspace}. There, \`breakfix start ${scenarioId}\` reopens this screen and \`breakfix stop\` removes the lab.`,
      };
    case 'stopped':
      return { stream: 'out', text: `The lab was removed; your files stay in ${workspace}.` };
    case 'interrupted':
      return {
        stream: 'err',
        text: 'breakfix: interrupted; the lab was removed (`breakfix gc` sweeps anything a second Ctrl-C left behind)',
      };
    case 'failed':
      return { stream: 'err', text: `breakfix: ${outcome.reason} (${outcome.next})` };
  }
}

export async function runTuiCommand(options: TuiCommandOptions): Promise<ExitOutcome> {
  const interrupts = new EventTarget();
  const forward = () => interrupts.dispatchEvent(new Event('interrupt'));
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  let outcome: TuiOutcome = { kind: 'left-running' };
  const instance = render(
    <App
      source={options.lab}
      mode={options.mode}
      onOutcome={(value) => (outcome = value)}
      color={colorEnabled(process.stdout)}
      interrupts={interrupts}
      nextAfter={(id) => {
        const course = options.lab.scenario.course;
        return nextScenarioAfter(id, course ? { courseDir: course.dir } : {});
      }}
    />,
    { exitOnCtrlC: false, alternateScreen: true, patchConsole: true },
  );
  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  }
  const line = outcomeLine(outcome, options.lab.workspace, options.lab.scenario.id);
  (line.stream === 'out' ? process.stdout : process.stderr).write(`${line.text}\n`);
  return TUI_EXITS[outcome.kind];
}
