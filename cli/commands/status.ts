/**
 * `breakfix status [--workspace DIR] [--json]`: the session at a glance. `--json` prints the
 * engine's session view (state, services with health, restarts and ports, last report, hints).
 */
import type { Command } from 'commander';
import { statusLines } from '../render/status.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { withExamples, withSessionOptions, type SessionCommandOptions } from '../shared/options.js';
import { openLab, viewOf } from '../shared/session-event.js';

export function register(program: Command): void {
  const command = withSessionOptions(
    program.command('status').description('show the lab: state, services, health, ports, last check, hints'),
  ).action(async (options: SessionCommandOptions) => {
    const io = commandIO(options.json === true);
    const lab = await openLab(options.workspace);
    const view = await viewOf(lab);
    if (io.json) printJson(io, { ...view, host: lab.host });
    else printLines(io.out, statusLines(view, lab.host, io.style));
  });
  withExamples(command, [
    ['breakfix status', 'inside the workspace (or any folder below it)'],
    ['breakfix status --workspace ~/labs/wrong-port --json', 'for a script'],
  ]);
}
