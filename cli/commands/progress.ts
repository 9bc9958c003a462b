/**
 * `breakfix progress [--json] [--reset [<scenario>]]`: the learner's progress through the course
 * — every scenario in the course's order with ✓, best score, time to solve, check rounds and
 * hints — and the next one to work. Kept per user in the XDG state folder
 * (`$XDG_STATE_HOME/breakfix/progress.json`). `--reset` forgets the whole course's progress,
 * `--reset <scenario>` one scenario's.
 */
import type { Command } from 'commander';
import { progressLines } from '../render/journey.js';
import { loadEngine } from '../shared/engine.js';
import { exitWith, type ExitOutcome } from '../shared/exit.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { withExamples } from '../shared/options.js';

interface ProgressOptions {
  json?: boolean;
  reset?: string | boolean;
}

export async function runProgress(options: ProgressOptions): Promise<ExitOutcome> {
  const io = commandIO(options.json === true);
  const engine = await loadEngine();
  if (options.reset !== undefined && options.reset !== false) {
    const journey = await engine.describeLearnerJourney();
    const scenario = typeof options.reset === 'string' ? options.reset : undefined;
    const known = journey.scenarios.some((entry) => entry.id === scenario);
    const { removed } = await engine.resetLearnerProgress(journey.course.id, scenario);
    if (scenario !== undefined && !known && removed.length === 0)
      throw new engine.BreakfixError(
        'usage',
        `${scenario} is not a scenario of the ${journey.course.title} course`,
        '`breakfix progress` lists them',
      );
    if (io.json) printJson(io, { course: journey.course.id, reset: scenario ?? 'all', removed });
    else
      io.out(
        removed.length === 0
          ? `nothing to forget: no progress recorded for ${scenario ?? `the ${journey.course.title} course`}\n`
          : `forgot the progress of ${scenario ?? `${removed.length} scenario${removed.length === 1 ? '' : 's'} of the ${journey.course.title} course`}\n`,
      );
    return 'ok';
  }
  const journey = await engine.describeLearnerJourney();
  if (io.json) {
    printJson(io, {
      course: journey.course,
      solved: journey.solved,
      total: journey.total,
      scenarios: journey.scenarios,
      next: journey.next ?? null,
      file: journey.file,
    });
    return 'ok';
  }
  printLines(io.out, progressLines(journey, io.style));
  return 'ok';
}

export function register(program: Command): void {
  const command = program
    .command('progress')
    .description('your progress through the course: solved scenarios, best scores, what comes next')
    .option('--json', 'print {course, solved, total, scenarios:[{id, solved, bestScore, …}], next} on stdout')
    .option('--reset [scenario]', "forget the course's progress, or one scenario's")
    .action(exitWith((options: ProgressOptions) => runProgress(options)));
  withExamples(command, [
    ['breakfix progress', 'what you solved, with your best scores, and what is next'],
    ['breakfix progress --json', 'the same for scripts'],
    ['breakfix progress --reset wrong-port', 'forget one scenario (to work it again from zero)'],
  ]);
}
