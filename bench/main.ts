/**
 * `npm run bench [-- options]`: breakfix against a raw-dockerode baseline, measured in one run
 * on warm images. Not a test: it prints figures (docs/performance.md explains them).
 *
 *   --reps N                 repetitions of every timed operation (default 5)
 *   --cli-reps N             repetitions of the CLI cold starts (default max(10, reps))
 *   --only a,b               sections: start (includes raw), check, apply, cli, lab-commands, concurrent, serve
 *   --lab-scenario S         scenario of `lab-commands` (default wrong-port)
 *   --scenarios a,b          scenarios of `start` (default: all seed scenarios)
 *   --check-scenarios a,b    scenarios of `check` (default: all seed scenarios)
 *   --concurrency 10,20      session counts of `concurrent` (default 10,20)
 *   --concurrent-scenario S  scenario started by `concurrent` and `serve` (default logs-not-collected)
 *   --serve-sessions N       labs `breakfix serve` holds for its memory figure (default: largest concurrency)
 *   --label TEXT             says in the document which code was measured
 *   --json                   one JSON document on stdout (progress stays on stderr)
 *   --markdown               the table as Markdown (docs/performance.md)
 *   --out FILE               also write the JSON document to FILE
 *   --from A.json[,B.json]   render saved documents instead of measuring (several are merged:
 *                            samples pooled, medians and ratios recomputed)
 *   --compare X.json[,Y.json]  with --from: a before/after Markdown table against these
 *
 * Progress goes to stderr. Everything created is removed at the end, on failure and on Ctrl-C.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connect, listScenarios } from '../engine/index.js';
import type { Runtime } from '../engine/runtime/runtime.js';
import { benchCli } from './cli-bench.js';
import { parseArgs, usage, type Options } from './options.js';
import { Cleanup } from './cleanup.js';
import { benchConcurrent } from './concurrent.js';
import { EngineBench, HEALTHY, type StartOutcome } from './engine-bench.js';
import { describeMachine, load } from './machine.js';
import { prepareRawLab, removeRawImage, removeRawOnce, runRawOnce, type RawLab } from './raw.js';
import { benchLabCommands } from './lab-commands.js';
import { goals, renderComparison, renderMarkdown, renderText, type BenchReport, type Section } from './report.js';
import { mergeReports } from './merge.js';
import { benchServe } from './serve-bench.js';
import { BREAKFIX_BIN, run } from './spawn.js';
import { median, ratio, Samples, summarise, type Summary } from './stats.js';

const log = (line: string) => process.stderr.write(`${line}\n`);
const ms = (value: number) => `${Math.round(value)} ms`;

function phaseMedians(
  outcomes: StartOutcome[],
  pick: (outcome: StartOutcome) => Record<string, number>,
): Record<string, number> {
  const keys = [...new Set(outcomes.flatMap((outcome) => Object.keys(pick(outcome))))];
  return Object.fromEntries(
    keys.map((key) => [
      key,
      Math.round(
        median(outcomes.map((outcome) => pick(outcome)[key]).filter((value): value is number => value !== undefined)),
      ),
    ]),
  );
}

async function render(options: Options): Promise<void> {
  // Several documents (a,b,c) are merged: their samples pooled, medians and ratios recomputed.
  const read = async (files: string) =>
    mergeReports(
      await Promise.all(
        files.split(',').map(async (file) => JSON.parse(await readFile(file.trim(), 'utf8')) as BenchReport),
      ),
    );
  const after = await read(options.from as string);
  if (options.compare) process.stdout.write(renderComparison(await read(options.compare), after));
  else
    process.stdout.write(
      options.json
        ? `${JSON.stringify(after, null, 2)}\n`
        : options.markdown
          ? renderMarkdown(after)
          : renderText(after),
    );
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.from) return render(options);
  const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`.slice(-10);
  let runtime: Runtime;
  try {
    runtime = await connect();
  } catch (error) {
    usage(`${(error as Error).message}`);
  }
  const cleanup = new Cleanup(runId, async () => runtime);
  cleanup.installSignalHandlers(log);
  const stale = await cleanup.sweepStaleRuns();
  if (stale > 0) log(`bench: removed ${stale} resource(s) left by an earlier, interrupted benchmark run`);

  const report: BenchReport = {
    format: 1,
    startedAt: new Date().toISOString(),
    ...(options.label ? { label: options.label } : {}),
    finishedAt: '',
    options: {
      reps: options.reps,
      cliReps: options.cliReps,
      sections: [...options.only],
      concurrency: options.concurrency,
      concurrentScenario: options.concurrentScenario,
    },
    machine: await describeMachine(runtime),
    load: { before: load(), after: [], bySection: {} },
    goals: [],
    errors: [],
    leaked: 0,
  };
  const allScenarios = listScenarios().map((scenario) => scenario.id);
  const unknown = [
    ...(options.scenarios ?? []),
    ...(options.checkScenarios ?? []),
    options.concurrentScenario,
    options.labScenario,
  ].filter((id) => !allScenarios.includes(id));
  if (unknown.length > 0) usage(`unknown scenario(s): ${unknown.join(', ')} (known: ${allScenarios.join(', ')})`);
  log(
    `bench: ${report.machine.cpus} cores, ${report.machine.memoryGiB} GiB, Docker ${report.machine.docker.serverVersion}, load ${report.load.before.join(' ')}; ${options.reps} reps`,
  );

  const root = await mkdtemp(path.join(os.tmpdir(), 'breakfix-bench-'));
  cleanup.workspaceRoots.add(root);
  const engine = new EngineBench(runtime, root);
  const section = async (name: Section, work: () => Promise<void>) => {
    if (!options.only.has(name) || cleanup.interrupted) return;
    const before = performance.now();
    log(`bench: ${name}…`);
    try {
      await work();
    } catch (error) {
      const message = `${name}: ${error instanceof Error ? error.message : String(error)}`;
      report.errors.push(message);
      log(`bench: ${message}`);
    }
    report.load.bySection[name] = load();
    log(`bench: ${name} done in ${Math.round((performance.now() - before) / 1000)} s (load ${load().join(' ')})`);
  };

  /** Starts, stops and sweeps; a failed start is swept too. */
  const startAndStop = async (scenario: string, stopSamples?: Samples): Promise<StartOutcome> => {
    const outcome = await engine.start(scenario);
    if (outcome.sessionId) cleanup.sessions.add(outcome.sessionId);
    const stopMs = await engine.stop(outcome.workspace, scenario).catch(() => undefined);
    if (stopMs !== undefined) stopSamples?.add('stop', stopMs);
    const leaked = outcome.sessionId ? await cleanup.sweepSession(outcome.sessionId) : 0;
    report.leaked += leaked;
    if (leaked > 0) report.errors.push(`${scenario}: STOP left ${leaked} resource(s) (swept)`);
    return outcome;
  };

  try {
    await section('cli', async () => {
      const samples = await benchCli(options.cliReps, log);
      report.cli = Object.fromEntries(samples.names().map((name) => [name, samples.summary(name) as Summary]));
      for (const name of samples.names())
        log(`  ${name}: median ${ms(samples.summary(name)!.medianMs)}, p90 ${ms(samples.summary(name)!.p90Ms)}`);
    });

    await section('start', async () => {
      const scenarios = options.scenarios ?? allScenarios;
      log('  building the baseline image (not timed) and warming up…');
      const raw: RawLab = await prepareRawLab(runId);
      try {
        // One untimed round of each kind: page cache, image layers, JIT.
        await runRawOnce(raw, 0).finally(() => removeRawOnce(raw, 0));
        await startAndStop(HEALTHY);
        const rawSamples = new Samples();
        const stops = new Samples();
        const outcomes = new Map<string, StartOutcome[]>();
        /** engine ÷ the raw run just before it, per repetition: robust to load that drifts during the run. */
        const pairs = new Map<string, number[]>();
        let index = 0;
        for (let rep = 1; rep <= options.reps && !cleanup.interrupted; rep += 1) {
          // Interleaved: raw, engine (healthy), raw, engine (scenario), … so load hits both.
          for (const scenario of [HEALTHY, ...scenarios]) {
            if (cleanup.interrupted) break;
            index += 1;
            try {
              const timings = await runRawOnce(raw, index);
              rawSamples.add('total', timings.totalMs);
              rawSamples.add('dbReady', timings.dbReadyMs);
              rawSamples.add('migrateDone', timings.migrateDoneMs);
              rawSamples.add('apiReady', timings.apiReadyMs);
              rawSamples.add('apiHealthy', timings.apiHealthyMs);
            } finally {
              await removeRawOnce(raw, index);
            }
            const outcome = await startAndStop(scenario, stops);
            outcomes.set(scenario, [...(outcomes.get(scenario) ?? []), outcome]);
            const rawMs = rawSamples.get('total').at(-1);
            if (outcome.ok && rawMs !== undefined)
              pairs.set(scenario, [...(pairs.get(scenario) ?? []), outcome.ms / rawMs]);
            log(
              `  rep ${rep} ${scenario}: ${outcome.ok ? ms(outcome.ms) : `FAILED (${outcome.error})`}; raw ${ms(rawSamples.get('total').at(-1) ?? Number.NaN)}; load ${load()[0]}`,
            );
          }
        }
        report.raw = {
          ...summarise(rawSamples.get('total')),
          dbReady: summarise(rawSamples.get('dbReady')),
          migrateDone: summarise(rawSamples.get('migrateDone')),
          apiReady: summarise(rawSamples.get('apiReady')),
          apiHealthy: summarise(rawSamples.get('apiHealthy')),
        };
        report.start = {};
        for (const [scenario, list] of outcomes) {
          const good = list.filter((outcome) => outcome.ok);
          const summary = summarise(good.map((outcome) => outcome.ms));
          report.start[scenario] = {
            ...summary,
            ok: good.length,
            failures: list.filter((outcome) => !outcome.ok).map((outcome) => outcome.error ?? 'failed'),
            ...(ratio(summary, report.raw) !== undefined ? { ratioToRaw: ratio(summary, report.raw) as number } : {}),
            ...((pairs.get(scenario) ?? []).length > 0
              ? {
                  pairedRatioToRaw: Math.round(median(pairs.get(scenario)!) * 100) / 100,
                  pairedRatios: pairs.get(scenario)!.map((value) => Math.round(value * 1000) / 1000),
                }
              : {}),
            phasesMedianMs: phaseMedians(good, (outcome) => outcome.phases),
            serviceProgressMedianMs: phaseMedians(good, (outcome) => outcome.serviceReadyMs),
          };
        }
        const healthy = report.start[HEALTHY];
        const startVsRaw = ratio(healthy, report.raw);
        if (startVsRaw !== undefined) report.startVsRaw = startVsRaw;
        if (healthy?.pairedRatioToRaw !== undefined) report.startVsRawPaired = healthy.pairedRatioToRaw;
        const toDockerHealthy = ratio(healthy, report.raw.apiHealthy);
        if (toDockerHealthy !== undefined) report.startVsRawDockerHealthy = toDockerHealthy;
        report.startVsRawPerScenario = Object.fromEntries(
          Object.entries(report.start).map(([id, figures]) => [id, figures.ratioToRaw]),
        );
        if (stops.get('stop').length > 0) report.stop = summarise(stops.get('stop'));
      } finally {
        await removeRawImage(raw);
      }
    });

    await section('check', async () => {
      report.check = {};
      for (const scenario of options.checkScenarios ?? allScenarios) {
        if (cleanup.interrupted) break;
        const entry: NonNullable<BenchReport['check']>[string] = {};
        report.check[scenario] = entry;
        const outcome = await engine.start(scenario);
        if (outcome.sessionId) cleanup.sessions.add(outcome.sessionId);
        try {
          if (!outcome.ok || !outcome.sessionId) throw new Error(`start failed: ${outcome.error}`);
          const broken = new Samples();
          for (let rep = 0; rep < options.reps; rep += 1) {
            const { ms: took, result } = await engine.send(outcome.workspace, scenario, 'CHECK');
            broken.add('round', took);
            entry.brokenScore = result.context.lastReport?.score ?? 0;
          }
          entry.broken = broken.summary('round')!;
          await engine.applySolution(outcome.workspace, scenario, outcome.sessionId);
          const fixed = new Samples();
          for (let rep = 0; rep < options.reps; rep += 1) {
            const { ms: took, result } = await engine.send(outcome.workspace, scenario, 'CHECK');
            fixed.add('round', took);
            entry.fixedPassed = result.context.lastReport?.passed === true;
          }
          entry.fixed = fixed.summary('round')!;
          // What a learner waits for: `breakfix check` in a new process (Node start, engine
          // import, Docker connection, the round, the report).
          const cli = new Samples();
          for (let rep = 0; rep < options.reps; rep += 1) {
            const finished = await run(BREAKFIX_BIN, ['check', '--json', '--workspace', outcome.workspace], {
              timeoutMs: 120_000,
            });
            // 0: all passed, 1: some failed; both are a full round.
            if (finished.code !== 0 && finished.code !== 1) {
              entry.cliError = `breakfix check exited ${finished.code}: ${(finished.stderr || finished.stdout).trim().split('\n')[0] ?? ''}`;
              break;
            }
            cli.add('round', finished.ms);
          }
          if (cli.get('round').length > 0) entry.fixedCli = cli.summary('round')!;
          log(
            `  ${scenario}: broken median ${ms(entry.broken.medianMs)} (score ${entry.brokenScore}), fixed median ${ms(entry.fixed.medianMs)} (${entry.fixedPassed ? 'passed' : 'NOT passed'})${entry.fixedCli ? `, \`breakfix check\` ${ms(entry.fixedCli.medianMs)}` : ''}${entry.cliError ? `; ${entry.cliError}` : ''}`,
          );
        } catch (error) {
          entry.error = error instanceof Error ? error.message : String(error);
          log(`  ${scenario}: ${entry.error}`);
        } finally {
          await engine.stop(outcome.workspace, scenario).catch(() => undefined);
          if (outcome.sessionId) report.leaked += await cleanup.sweepSession(outcome.sessionId);
        }
      }
    });

    await section('apply', async () => {
      const outcome = await engine.start(HEALTHY);
      if (outcome.sessionId) cleanup.sessions.add(outcome.sessionId);
      report.apply = {};
      try {
        if (!outcome.ok) throw new Error(`start failed: ${outcome.error}`);
        const samples = new Samples();
        for (let rep = 1; rep <= options.reps; rep += 1) {
          await engine.touchSource(outcome.workspace, rep);
          const changed = await engine.send(outcome.workspace, HEALTHY, 'APPLY');
          if (changed.result.context.lastFailure)
            throw new Error(`apply failed: ${changed.result.context.lastFailure.message}`);
          samples.add('sourceChange', changed.ms);
          const same = await engine.send(outcome.workspace, HEALTHY, 'APPLY');
          if (same.result.context.lastFailure)
            throw new Error(`apply failed: ${same.result.context.lastFailure.message}`);
          samples.add('noChange', same.ms);
          log(`  rep ${rep}: source change ${ms(changed.ms)}, no change ${ms(same.ms)}`);
        }
        report.apply = { sourceChange: samples.summary('sourceChange')!, noChange: samples.summary('noChange')! };
      } catch (error) {
        report.apply.error = error instanceof Error ? error.message : String(error);
        throw error;
      } finally {
        await engine.stop(outcome.workspace, HEALTHY).catch(() => undefined);
        if (outcome.sessionId) report.leaked += await cleanup.sweepSession(outcome.sessionId);
      }
    });

    await section('lab-commands', async () => {
      const { figures, leaked } = await benchLabCommands(
        options.labScenario,
        options.cliReps,
        engine,
        runtime,
        cleanup,
        log,
      );
      report.labCommands = figures;
      report.leaked += leaked;
      for (const [name, summary] of Object.entries(figures.commands))
        log(
          `  ${name}: median ${ms(summary.medianMs)}, p90 ${ms(summary.p90Ms)}${figures.cpu[name] ? `, CPU ${ms(figures.cpu[name].medianMs)}` : ''}`,
        );
      if (figures.error) throw new Error(figures.error);
    });

    await section('concurrent', async () => {
      report.concurrent = [];
      for (const count of options.concurrency) {
        if (cleanup.interrupted) break;
        const result = await benchConcurrent(count, options.concurrentScenario, runtime, cleanup);
        report.concurrent.push(result);
        report.leaked += result.leaked;
        log(
          `  ${count} at once: ${result.ok}/${count} active in ${ms(result.wallMs)}; stop ${ms(result.stopWallMs)}; engine peak RSS ${result.engineMaxRssMiB} MiB; leaked ${result.leaked}${result.failures.length ? `; failures: ${result.failures.map((failure) => failure.error).join(' | ')}` : ''}${result.error ? `; ${result.error}` : ''}`,
        );
      }
      const largest = report.concurrent.at(-1);
      if (largest)
        report.memory = {
          ...report.memory,
          engine: { sessions: largest.sessions, maxRssMiB: largest.engineMaxRssMiB },
        };
    });

    await section('serve', async () => {
      const count = options.serveSessions ?? Math.max(...options.concurrency);
      const result = await benchServe(count, options.concurrentScenario, runtime, cleanup, log);
      report.memory = { ...report.memory, serve: result };
      report.leaked += result.leaked ?? 0;
      log(
        result.available
          ? `  serve holding ${result.active}/${count}: peak RSS ${result.serverPeakRssMiB} MiB (idle ${result.serverIdleRssMiB} MiB), up in ${ms(result.wallMs ?? Number.NaN)}; leaked ${result.leaked}${result.error ? `; ${result.error}` : ''}`
          : `  serve: ${result.error}`,
      );
    });
  } finally {
    const swept = await cleanup.sweepAll().catch((error: unknown) => {
      report.errors.push(`cleanup: ${String(error)}`);
      return { sessions: 0, resources: 0 };
    });
    if (swept.resources > 0) {
      report.leaked += swept.resources;
      report.errors.push(`final sweep removed ${swept.resources} resource(s)`);
    }
  }

  report.load.after = load();
  report.finishedAt = new Date().toISOString();
  report.goals = goals(report);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (options.out) await writeFile(options.out, json);
  process.stdout.write(options.json ? json : options.markdown ? renderMarkdown(report) : renderText(report));
  process.exitCode = report.errors.length > 0 ? 1 : 0;
}

await main();
