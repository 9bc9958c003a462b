/**
 * `breakfix start <scenario> [--workspace DIR] [--seed N] [--fresh] [--detach] [--json]`: copy
 * the lab into a workspace, build it, deploy it, break it, and confirm the symptoms show. In a
 * workspace whose lab was stopped it resumes: the learner's files, the recorded seed; only
 * `--fresh` moves the files to a backup folder (and says where) to start over.
 *
 * At a terminal it opens the TUI. With --detach, --json or no terminal it prints progress
 * lines, then the workspace, briefing, services, ports and next steps, and returns; the lab
 * keeps running until `breakfix stop`. Ctrl-C while starting removes what was created (exit
 * 130). A lab that cannot come up exits 2 with the reason and the next step.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { LabSession, Runtime, Scenario, SessionResult, SessionView, StartedSession } from '../../engine/index.js';
import { createProgressPrinter } from '../render/progress.js';
import { startSummaryLines } from '../render/start-summary.js';
import { loadEngine, type Engine } from '../shared/engine.js';
import { explainSessionError } from '../shared/explain.js';
import { abortOnInterrupt } from '../shared/interrupt.js';
import { commandIO, printJson, printLines, type CommandIO } from '../shared/io.js';
import { parseSeed, withExamples } from '../shared/options.js';
import { isInteractiveSession } from '../shared/terminal.js';
import { exitWith, type ExitOutcome } from '../shared/exit.js';

export interface StartOptions {
  workspace?: string;
  seed?: number;
  detach?: boolean;
  json?: boolean;
  /** In a workspace whose lab was stopped: back the files up and start afresh (else resume on them). */
  fresh?: boolean;
}

/** Resting states in which the TUI can open an existing lab. */
const ATTACHABLE_STATES: ReadonlySet<string> = new Set(['active', 'passed', 'error']);

/**
 * The CLI contract (README, `start`): `--workspace` defaults to the nearest folder upward holding `.breakfix/`, else
 * `./<scenario-id>`. A workspace that already holds another scenario's session is refused:
 * starting there would pour one lab over another's files.
 */
async function chooseWorkspace(
  engine: Engine,
  scenario: Scenario,
  explicit: string | undefined,
  runtime: Runtime,
): Promise<{ workspace: string; existing?: SessionView; lab?: LabSession }> {
  // `<course-id>/<id>` and a scenario's path start in ./<id>, like a plain id.
  const workspace =
    explicit !== undefined ? path.resolve(explicit) : (engine.findWorkspace() ?? path.resolve(scenario.id));
  if (!engine.hasSession(workspace)) return { workspace };
  const lab = await engine.openLab(workspace, { runtime, progress: true });
  const existing = await lab.describe();
  const otherCourse = existing.course !== undefined && existing.course.id !== scenario.course?.id;
  if (existing.scenarioId !== scenario.id || otherCourse) {
    throw new engine.BreakfixError(
      'usage',
      `${workspace} is the workspace of ${otherCourse ? `${existing.course?.id}/` : ''}${existing.scenarioId}, not ${scenario.id}`,
      explicit !== undefined ? 'choose another folder with --workspace' : 'cd out of it, or pass --workspace DIR',
    );
  }
  return { workspace, existing, lab };
}

function servicesJson(view: SessionView, host: string) {
  return {
    services: view.services.map(({ name, status, health, restarts, ports }) => ({
      name,
      status,
      health,
      restarts,
      ports: ports.map((port) => ({ ...port, address: `${host}:${port.host}` })),
    })),
    ports: view.services.flatMap((service) =>
      service.ports.map((port) => ({
        service: service.name,
        host,
        port: port.host,
        container: port.container,
        protocol: port.protocol,
      })),
    ),
  };
}

/** What start does with a workspace that already held this lab, said before the long part. */
function startedLines(started: StartedSession, scenarioId: string): string[] {
  if (started.resumed)
    return [
      `resuming on your files in ${started.workspace} (seed ${started.seed}); \`breakfix start ${scenarioId} --fresh\` starts over`,
    ];
  return started.backup ? [`your files from the last run moved to ${started.backup}`] : [];
}

async function startPlain(
  engine: Engine,
  runtime: Runtime,
  scenario: Scenario,
  workspace: string,
  io: CommandIO,
  fresh: boolean,
): Promise<ExitOutcome> {
  const lab = await engine.createLab({
    scenario: scenario.file,
    workspace,
    seed: scenario.seed,
    runtime,
    progress: true,
    ...(fresh ? { fresh } : {}),
  });
  const host = lab.host;
  io.progress(`${io.style.bold(`starting ${scenario.id}`)} (seed ${scenario.seed}) in ${workspace}\n`);
  const printer = createProgressPrinter(io.progress, io.style);
  const interrupt = abortOnInterrupt(io.err, {
    first: '\nbreakfix: interrupted; removing the lab… (Ctrl-C again to leave at once)\n',
    second: 'breakfix: interrupted twice; leaving now. `breakfix gc` removes whatever is left\n',
  });
  let result: SessionResult;
  let started: StartedSession | undefined;
  try {
    result = await lab.start({
      signal: interrupt.signal,
      onNotice: (notice) => printer.onNotice(notice),
      onSession: (session) => {
        started = session;
        for (const line of startedLines(session, scenario.id)) io.progress(`${io.style.accent('→')} ${line}\n`);
      },
    });
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
    result = engine.sessionResult({ sessionId: '', workspace }, 'interrupted', {} as SessionResult['context']);
  } finally {
    interrupt.dispose();
  }

  if (interrupt.signal.aborted) {
    // An interrupt that came before the engine listened for it, or that broke a step: stop
    // whatever was built.
    const removed =
      result.state === 'stopped' ||
      (await lab.send('STOP').then(
        (stopped) => stopped.state === 'stopped',
        () => false,
      ));
    io.err(
      removed
        ? `breakfix: interrupted; the lab was removed (your workspace ${workspace} stays)\n`
        : 'breakfix: interrupted; `breakfix gc` removes what the start left behind\n',
    );
    return 'interrupted';
  }
  if (result.state !== 'active') {
    const error = result.error ?? {
      during: result.state,
      kind: 'environment' as const,
      message: `the lab ended in state ${result.state}`,
    };
    const why = await explainSessionError(error, scenario.id);
    // Nothing to inspect after an environment failure: do not leave half a lab behind. A
    // scenario whose symptoms never showed stays up for its author to look at.
    const keep = error.kind === 'scenario';
    if (!keep) await lab.send('STOP').catch(() => undefined);
    if (io.json)
      printJson(io, {
        workspace,
        sessionId: result.sessionId,
        seed: scenario.seed,
        state: keep ? result.state : 'stopped',
        error: { ...error, next: why.next },
      });
    io.err(`breakfix: ${why.reason} (${why.next}${keep ? '; `breakfix stop` removes the lab' : ''})\n`);
    return 'error';
  }

  const view = await lab.describe();
  if (io.json) {
    printJson(io, {
      workspace,
      sessionId: result.sessionId,
      scenario: scenario.id,
      seed: scenario.seed,
      state: result.state,
      ...(started?.resumed ? { resumed: true } : {}),
      ...(started?.backup ? { backup: started.backup } : {}),
      ...servicesJson(view, host),
    });
    return 'ok';
  }
  io.out('\n');
  printLines(
    io.out,
    startSummaryLines(
      {
        scenarioId: scenario.id,
        title: scenario.title,
        briefing: scenario.briefing,
        workspace,
        sessionId: result.sessionId,
        seed: scenario.seed,
        services: view.services,
        host,
      },
      io.style,
      { cwd: process.cwd(), width: io.width },
    ),
  );
  return 'ok';
}

export function register(program: Command): void {
  const command = program
    .command('start')
    .description('start a scenario: build, deploy and break its lab, then open the TUI (or print next steps)')
    .argument('<scenario>', 'a scenario id (see `breakfix list`), <course-id>/<id>, or a scenario folder or file')
    .option('-w, --workspace <dir>', 'where the lab files go (default: ./<scenario id>)')
    .option('--seed <n>', 'the seed for randomised parameters (same seed, same lab)', parseSeed)
    .option('--fresh', 'in a workspace whose lab was stopped: move your files to a backup folder and start over')
    .option('-d, --detach', 'do not open the TUI: print the lab and return (it keeps running)')
    .option('--json', 'print {workspace, sessionId, seed, state, services, ports} on stdout (implies --detach)')
    .action(exitWith((scenarioId: string, options: StartOptions) => runStart(scenarioId, options)));
  withExamples(command, [
    ['breakfix start wrong-port', 'opens the TUI; the lab goes to ./wrong-port'],
    ['breakfix start wrong-port --detach', 'no TUI: print ports and next steps, then return'],
    ['breakfix start wrong-port --seed 42 --workspace /tmp/wp --json', 'reproducible, for scripts'],
    ['breakfix start wrong-port --fresh', 'a stopped lab: start over (your files go to .breakfix/backups/)'],
    ['breakfix start net-basics/dns-down', "a course's scenario whose id another course has too"],
  ]);
}

/** `breakfix start`, also what `npm start` (quickstart) ends with. */
export async function runStart(scenarioId: string, options: StartOptions): Promise<ExitOutcome> {
  const io = commandIO(options.json === true);
  const engine = await loadEngine();
  const requested = options.seed ?? engine.randomSeed();
  // An unknown id fails here, in milliseconds, with "did you mean".
  let scenario = await engine.resolveScenario(scenarioId, requested);
  const runtime = await engine.connect();
  const { workspace, existing, lab } = await chooseWorkspace(engine, scenario, options.workspace, runtime);
  // A stopped lab comes back on the learner's files with the seed they were broken with.
  const resuming = existing?.state === 'stopped' && options.fresh !== true;
  if (resuming && options.seed !== undefined && options.seed !== existing.seed)
    throw new engine.BreakfixError(
      'usage',
      `${workspace} holds your files of ${scenario.id}, broken with seed ${existing.seed}`,
      `\`breakfix start ${scenarioId}\` resumes them; \`breakfix start ${scenarioId} --fresh --seed ${options.seed}\` starts over (your files move to a backup folder)`,
    );
  const seed = resuming ? existing.seed : requested;
  if (seed !== requested) scenario = await engine.resolveScenario(scenarioId, seed);
  const interactive = !options.json && !options.detach && isInteractiveSession();

  if (interactive) {
    const { runTuiCommand } = await import('../tui/run-tui.js');
    // A session of this scenario that is up (or being worked on by another process) in
    // this workspace: reopen it instead of refusing.
    const live = existing && (ATTACHABLE_STATES.has(existing.state) || existing.busy) ? existing : undefined;
    return runTuiCommand({
      lab:
        live && lab
          ? lab
          : await engine.createLab({
              scenario: scenario.file,
              workspace,
              seed,
              runtime,
              progress: true,
              ...(options.fresh ? { fresh: true } : {}),
            }),
      mode: live ? 'attach' : 'start',
    });
  }
  return startPlain(engine, runtime, scenario, workspace, io, options.fresh === true);
}
