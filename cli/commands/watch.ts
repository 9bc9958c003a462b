/**
 * `breakfix watch [--workspace DIR] [--json]`: like rustlings — every time workspace files are
 * saved, apply and check, and print a compact result. Ctrl-C stops watching (exit 0); the lab
 * keeps running. `--json` prints one JSON object per round (JSON lines).
 */
import type { Command } from 'commander';
import { newEscalation, type SessionContext } from '../../engine/index.js';
import { checkReportLines } from '../render/check-report.js';
import { watchRoundLines, type WatchRound } from '../render/watch.js';
import { EXIT_CODES, exitWith } from '../shared/exit.js';
import { debriefLines } from '../shared/debrief.js';
import { firstLine } from '../shared/explain.js';
import { commandIO, printLines, type CommandIO } from '../shared/io.js';
import { withExamples, withSessionOptions, type SessionCommandOptions } from '../shared/options.js';
import { openLab, viewOf, type LabHandle } from '../shared/session-event.js';
import { createRoundScheduler, isIgnoredPath, relativeTo } from '../shared/watch-rounds.js';

/** Saves come in bursts; half a second of quiet means the learner is done saving. */
const DEBOUNCE_MS = 500;

export function register(program: Command): void {
  const command = withSessionOptions(
    program
      .command('watch')
      .description('apply and check every time you save a workspace file (Ctrl-C stops watching)'),
  ).action(
    exitWith(async (options: SessionCommandOptions) => {
      const io = commandIO(options.json === true);
      const lab = await openLab(options.workspace);
      const view = await viewOf(lab);
      if (view.state === 'stopped')
        throw new lab.engine.BreakfixError(
          'usage',
          'the lab is stopped',
          `run \`breakfix start ${view.scenarioId}\` here to bring it back with your files, then \`breakfix watch\``,
        );
      await watchWorkspace(lab, io, {
        escalations: lab.session.scenario.escalations,
        solved: view.lastReport?.passed === true,
      });
    }),
  );
  withExamples(command, [
    ['breakfix watch', 'leave it running in a second terminal while you edit'],
    ['breakfix watch --json', 'one JSON object per round, for tools'],
  ]);
}

interface WatchScenario {
  escalations: string[];
  /** Already solved before watching began: do not print the debrief again. */
  solved: boolean;
}

async function watchWorkspace(lab: LabHandle, io: CommandIO, scenario: WatchScenario): Promise<void> {
  const { watch } = await import('chokidar');
  const { engine, workspace, session } = lab;
  let context: SessionContext | undefined;
  let solved = scenario.solved;

  const remember = (next: SessionContext) => {
    const escalated = newEscalation(context, next);
    if (escalated !== undefined)
      io.progress(
        io.style.warn(`⚠ the incident got worse: ${scenario.escalations[escalated] ?? `stage ${escalated + 1}`}\n`),
      );
    if (context && next.hintsUnlocked > context.hintsUnlocked)
      io.progress(io.style.accent('a new hint is unlocked: run `breakfix hint`\n'));
    context = next;
  };
  // Every result of this handle (rounds, ticks) tells what changed; the tick loop is the session's.
  const unsubscribe = session.events((notice) => {
    if (notice.type === 'state' && notice.context) remember(notice.context);
  });

  const runRound = async (changed: string[]) => {
    const round: WatchRound = { at: new Date(), changed, applied: false, release: context?.release ?? 0 };
    try {
      const applied = await session.send('APPLY', { waitMs: 30_000 });
      remember(applied.context);
      round.release = applied.release;
      round.applied = applied.failure === undefined;
      // The whole reason, as `apply` prints it: a compose error's located lines
      // (`compose.yaml:77:14: … did you mean unless-stopped?`) come after its first line.
      if (!round.applied) round.failure = applied.failure?.message ?? 'unknown reason';
      else {
        const checked = await session.send('CHECK', { waitMs: 30_000 });
        remember(checked.context);
        if (checked.failure || !checked.report) round.failure = firstLine(checked.failure?.message ?? 'no report');
        else round.report = checked.report;
      }
    } catch (error) {
      round.failure = error instanceof Error ? firstLine(error.message) : String(error);
    }
    if (io.json) {
      io.out(
        `${JSON.stringify({ at: round.at.toISOString(), changed: round.changed, applied: round.applied, release: round.release, ...(round.failure ? { failure: round.failure } : {}), ...(round.report ? { check: engine.toContractJson(round.report) } : {}) })}\n`,
      );
      return;
    }
    printLines(io.out, watchRoundLines(round, io.style));
    if (round.report?.passed && !solved) {
      solved = true;
      printLines(io.out, [
        ...(await debriefLines(engine, session, io)),
        '',
        io.style.dim('still watching: Ctrl-C stops, `breakfix stop` removes the lab'),
      ]);
    }
  };
  const rounds = createRoundScheduler(DEBOUNCE_MS, runRound);

  // Catch up with deadlines that fell due while nobody watched, and learn the next ones.
  await session.tick().then(
    (result) => remember(result.context),
    () => undefined,
  );
  // Busy (a round or another terminal holds the session): the schedule tries again shortly.
  const ticks = session.scheduleTicks({ busy: () => rounds.running() });

  const watcher = watch(workspace, {
    ignoreInitial: true,
    ignored: (file: string) => isIgnoredPath(relativeTo(workspace, file)) && file !== workspace,
  });
  watcher.on('all', (event, file) => {
    if (event === 'add' || event === 'change' || event === 'unlink') rounds.changed(relativeTo(workspace, file));
  });
  await new Promise<void>((resolve, reject) => {
    watcher.once('ready', () => resolve());
    watcher.once('error', reject);
  });

  if (!io.json) {
    const last = (await viewOf(lab)).lastReport;
    printLines(io.progress, [
      `watching ${workspace}: save a file to apply and check (Ctrl-C stops watching; the lab keeps running)`,
      ...(last
        ? ['last check:', ...checkReportLines(last, io.style, { hints: false }).map((line) => `  ${line}`)]
        : []),
    ]);
  }

  // Leaving in the middle of an apply would leave a half-recreated lab: finish the round first.
  let interrupted = false;
  let stop = () => undefined as void;
  await new Promise<void>((resolve) => {
    stop = () => {
      if (!rounds.running()) return resolve();
      if (interrupted) {
        io.progress('leaving now; the lab may be half redeployed: run `breakfix apply` to finish it\n');
        // Ctrl-C stops watching: the contract's success, even the second time.
        process.exit(EXIT_CODES.ok);
      }
      interrupted = true;
      io.progress('finishing the current round… (Ctrl-C again to leave now)\n');
      void rounds.idle().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  rounds.close();
  ticks.stop();
  unsubscribe();
  await watcher.close();
  if (!io.json) io.progress('stopped watching; the lab keeps running (`breakfix stop` removes it)\n');
}
