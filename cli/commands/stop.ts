/**
 * `breakfix stop [--workspace DIR] [--json]`: remove the lab's containers, network, volumes and
 * images. The workspace files stay. Stopping a stopped lab is not an error.
 */
import type { Command } from 'commander';
import { MARK } from '../render/style.js';
import { commandIO, printJson } from '../shared/io.js';
import { withExamples, withSessionOptions, type SessionCommandOptions } from '../shared/options.js';
import { openLab, sendEvent, viewOf } from '../shared/session-event.js';

export function register(program: Command): void {
  const command = withSessionOptions(
    program.command('stop').description('remove the lab from Docker (your files stay)'),
  ).action(async (options: SessionCommandOptions) => {
    const io = commandIO(options.json === true);
    const lab = await openLab(options.workspace);
    const before = await viewOf(lab);
    // Scripts call stop unconditionally at the end: make a second stop a quiet success.
    const result = before.state === 'stopped' ? undefined : await sendEvent(lab, 'STOP', io);
    const sessionId = result?.sessionId ?? before.sessionId;
    if (io.json)
      printJson(io, { state: 'stopped', sessionId, workspace: lab.workspace, alreadyStopped: result === undefined });
    else
      io.out(
        `${io.style.ok(MARK.passed)} ${result ? 'the lab was removed' : 'the lab was already stopped'}; your files stay in ${lab.workspace}\n`,
      );
  });
  withExamples(command, [['breakfix stop', 'done for today: remove the containers, keep the files']]);
}
