/**
 * `breakfix reset [--workspace DIR] [--json]`: start the scenario over with the same seed. The
 * learner's files are moved to `.breakfix/backups/<time>/`, never deleted; hints and attempts
 * start again from zero.
 */
import type { Command } from 'commander';
import { MARK } from '../render/style.js';
import { explainSessionError } from '../shared/explain.js';
import { commandIO, printJson } from '../shared/io.js';
import { withExamples, withSessionOptions, type SessionCommandOptions } from '../shared/options.js';
import { openLab, sendEvent } from '../shared/session-event.js';
import { exitWith, type ExitOutcome } from '../shared/exit.js';

export function register(program: Command): void {
  const command = withSessionOptions(
    program
      .command('reset')
      .description('start the lab over: your files move to .breakfix/backups/, the broken lab comes back'),
  ).action(
    exitWith(async (options: SessionCommandOptions): Promise<ExitOutcome> => {
      const io = commandIO(options.json === true);
      const lab = await openLab(options.workspace);
      const result = await sendEvent(lab, 'RESET', io);
      if (io.json)
        printJson(io, {
          state: result.state,
          sessionId: result.sessionId,
          ...(result.error ? { error: result.error } : {}),
        });
      if (result.state === 'error' && result.error) {
        const why = await explainSessionError(result.error, lab.session.scenario.id);
        if (!io.json) io.err(`breakfix: the lab did not come back: ${why.reason} (${why.next})\n`);
        return 'error';
      }
      if (!io.json)
        io.out(
          `${io.style.ok(MARK.passed)} the lab is back to its broken start; your previous files are in .breakfix/backups/\n`,
        );
      return 'ok';
    }),
  );
  withExamples(command, [['breakfix reset', 'lost track of your edits? begin again from the broken lab']]);
}
