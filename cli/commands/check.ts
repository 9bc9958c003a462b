/**
 * `breakfix check [--only ID...] [--workspace DIR] [--json]`: grade the lab as it runs now, with
 * the scenario file as it is now (an author edits it and checks again). Exit 0 when every check
 * passes, 1 when one fails, 2 when the checks could not run. `--json` prints the contract's
 * `{scenario, passed, score, maxScore, checks:[{id, passed, errored, points, message}]}`.
 * `--only` runs just those checks: the authoring loop, not a graded round (no attempt counted,
 * no hint unlocked, no durability proof).
 */
import type { Command } from 'commander';
import { checkReportLines } from '../render/check-report.js';
import { plural } from '../render/text.js';
import { debriefLines } from '../shared/debrief.js';
import { firstLine } from '../shared/explain.js';
import { abortOnInterrupt } from '../shared/interrupt.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { withExamples, withSessionOptions, type SessionCommandOptions } from '../shared/options.js';
import { createProgressPrinter } from '../render/progress.js';
import { openLab, sendEvent, viewOf, type LabHandle } from '../shared/session-event.js';
import type { CommandIO } from '../shared/io.js';
import { exitWith, type ExitOutcome } from '../shared/exit.js';

export function register(program: Command): void {
  const command = withSessionOptions(
    program
      .command('check')
      .description('grade the lab as it runs now (exit 0 all pass, 1 some fail)')
      .option(
        '--only <id...>',
        'run just these checks, from the scenario file as it is now (for authors: no attempt counted, no hint unlocked)',
      ),
  ).action(
    exitWith(async (options: SessionCommandOptions & { only?: string[] }): Promise<ExitOutcome> => {
      const io = commandIO(options.json === true);
      const lab = await openLab(options.workspace);
      // The authoring loop: the checks always come from the scenario file as it is now; say so
      // when it is not the file the lab started with.
      const before = await viewOf(lab);
      if (before.scenarioChanged && before.scenarioFile)
        io.err(
          io.style.dim(
            `note: ${before.scenarioFile} changed since this lab started; checking with the file as it is now (\`breakfix reset\` starts the lab over from it)\n`,
          ),
        );
      if (options.only) return checkOnly(lab, options.only, io, before.scenarioChanged);
      // Ctrl-C during a probe: the probe puts the lab back, then we leave; the lab stays up.
      const interrupt = abortOnInterrupt(io.err, {
        first: '\nbreakfix: interrupted; putting the lab back as it was… (Ctrl-C again to leave at once)\n',
        second: 'breakfix: interrupted twice; leaving now. The next command (or `breakfix gc`) puts the lab back\n',
      });
      let result;
      try {
        result = await sendEvent(lab, 'CHECK', io, { interrupt: interrupt.signal });
      } finally {
        interrupt.dispose();
      }
      if (interrupt.signal.aborted) {
        io.err('breakfix: the check round was interrupted; the lab is as it was, and the round does not count\n');
        return 'interrupted';
      }
      const report = result.report;
      // A successful round always clears lastFailure; a set one means the checker itself failed.
      if (result.failure || !report) {
        throw new lab.engine.BreakfixError(
          'environment',
          `the checks could not run: ${firstLine(result.failure?.message ?? 'no report')}`,
          'run `breakfix status` and `breakfix doctor`',
        );
      }
      const outcome: ExitOutcome = report.passed ? 'ok' : 'failed';
      if (io.json) {
        printJson(io, {
          ...lab.engine.toContractJson(report),
          ...(before.scenarioChanged !== undefined ? { scenarioChanged: before.scenarioChanged } : {}),
        });
        return outcome;
      }
      printLines(io.out, checkReportLines(report, io.style));
      if (report.passed) {
        printLines(io.out, [
          ...(await debriefLines(lab.engine, lab.session, io)),
          '',
          io.style.dim('`breakfix stop` removes the lab; your files stay.'),
        ]);
        return outcome;
      }
      const view = await viewOf(lab);
      const waiting = view.hints.unlocked - view.hints.revealed.length;
      if (waiting > 0) io.out(io.style.accent(`${plural(waiting, 'hint')} unlocked: run \`breakfix hint\`\n`));
      return outcome;
    }),
  );
  withExamples(command, [
    ['breakfix check', 'a table of ✓/✗ with points, messages and hints'],
    ['breakfix check --json', 'the grade as JSON (exit code 0/1 says passed or not)'],
    ['breakfix check --only api-healthy', 'one check, from the scenario file as it is now (for authors)'],
  ]);
}

/** `--only`: the chosen checks, printed like a round, without touching the session's state. */
async function checkOnly(
  lab: LabHandle,
  ids: string[],
  io: CommandIO,
  scenarioChanged: boolean | undefined,
): Promise<ExitOutcome> {
  const printer = createProgressPrinter(io.progress, io.style);
  io.progress(`→ running ${ids.join(', ')} (not a graded round)\n`);
  const report = await lab.engine.checkLabOnly(lab.workspace, ids, {
    onNotice: (notice) => printer.onNotice(notice),
  });
  const outcome: ExitOutcome = report.passed ? 'ok' : 'failed';
  if (io.json) {
    printJson(io, {
      ...lab.engine.toContractJson(report),
      only: ids,
      ...(scenarioChanged !== undefined ? { scenarioChanged } : {}),
    });
    return outcome;
  }
  printLines(io.out, checkReportLines(report, io.style));
  io.out(io.style.dim('(--only: no attempt counted; `breakfix check` grades the whole round)\n'));
  return outcome;
}
