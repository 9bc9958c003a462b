/**
 * `breakfix verify [<scenario>...|--all] [--json] [--wrong-fixes [--until-rejected]] [--seed N] [--jobs N]`: prove
 * scenarios work — the fault bites, the checks fail before the fix, the reference solution
 * passes, and nothing is left behind. Exit 0 when every scenario is proven, 1 otherwise. `--json`
 * prints `{ok, scenarios:[{id, ok, symptomsObserved, solutionPassed, leaked, seconds}]}`, in the
 * order the scenarios were named whatever order they finish in. A scenario with a `load` check is
 * proven first, with no other scenario beside it; one on a heavy lab (five services or more)
 * never beside another such (engine/verify/alone.ts).
 */
import os from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import type { VerifyResult } from '../../engine/index.js';
import { createProgressPrinter } from '../render/progress.js';
import { verifyJsonEntry, verifyResultLines } from '../render/reports.js';
import { loadEngine } from '../shared/engine.js';
import { exitWith, type ExitOutcome } from '../shared/exit.js';
import { abortOnInterrupt } from '../shared/interrupt.js';
import { mapLimited } from '../shared/map-limited.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { parseSeed, withExamples } from '../shared/options.js';

interface VerifyOptions {
  all?: boolean;
  json?: boolean;
  wrongFixes?: boolean;
  untilRejected?: boolean;
  seed?: number;
  jobs?: number;
  repeat?: number;
}

interface Verified {
  last: VerifyResult;
  runs: Array<{ ok: boolean; seconds: number; error?: string }>;
}

function parseRepeat(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 100)
    throw new InvalidArgumentError('expected a whole number from 1 to 100');
  return count;
}

/** A lab spends most of its time waiting on Docker, so one per core keeps a small machine busy. */
export const DEFAULT_VERIFY_JOBS = Math.min(4, os.availableParallelism());

function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 32)
    throw new InvalidArgumentError('expected a whole number from 1 to 32');
  return jobs;
}

export function register(program: Command): void {
  const command = program
    .command('verify')
    .description('prove scenarios: fault bites, checks fail, the solution passes, nothing leaks')
    .argument('[scenario...]', 'scenario ids, <course-id>/<id>, or scenario folders or files')
    .option(
      '--all',
      'every scenario of the course (--course, or the one around the working folder; else the built-in one)',
    )
    .option(
      '--wrong-fixes',
      "also judge the scenario's red team: every wrong fix rejected and every right fix accepted, live and through grade",
    )
    .option(
      '--until-rejected',
      'with --wrong-fixes: stop judging a wrong fix at the first check that rejects it (faster; the per-check table then shows first rejections only)',
    )
    .option('--repeat <n>', 'run the whole proof n times and report flaky scenarios', parseRepeat)
    .option('--seed <n>', 'the seed for seeded parameters (default 1)', parseSeed)
    .option(
      '-j, --jobs <n>',
      `scenarios verified at once (default ${DEFAULT_VERIFY_JOBS}, one per core; one with a load check runs first, alone; heavy labs one at a time)`,
      parseJobs,
    )
    .option('--json', 'print {ok, scenarios:[{id, ok, symptomsObserved, solutionPassed, leaked, seconds}]} on stdout')
    .action(
      exitWith(async (ids: string[], options: VerifyOptions, self: Command): Promise<ExitOutcome> => {
        if (options.all && ids.length > 0)
          self.error('breakfix verify: give scenario ids or --all, not both', { exitCode: 2, code: 'breakfix.usage' });
        if (!options.all && ids.length === 0)
          self.error('breakfix verify: name the scenarios to verify, or pass --all (see `breakfix list`)', {
            exitCode: 2,
            code: 'breakfix.usage',
          });
        const io = commandIO(options.json === true);
        const engine = await loadEngine();
        const seed = options.seed ?? 1;
        const refs = options.all ? engine.courseScenarioFiles(engine.homeCourse()) : ids;
        // A typo must fail now, not after the first scenario's three minutes. Each is verified
        // by its file from here on, and named by its id.
        const targets: string[] = [];
        const names = new Map<string, string>();
        const alone = new Set<string>();
        const heavy = new Set<string>();
        for (const ref of refs) {
          const scenario = await engine.resolveScenario(ref, seed);
          targets.push(scenario.file);
          names.set(scenario.file, scenario.id);
          const reason = engine.provenAloneReason(scenario);
          if (reason === 'load') alone.add(scenario.file);
          if (reason === 'heavy-lab') heavy.add(scenario.file);
        }
        const runtime = await engine.connect();

        const interrupt = abortOnInterrupt(io.err, {
          first: '\nbreakfix: interrupted; removing the labs being verified… (Ctrl-C again to leave at once)\n',
          second: 'breakfix: interrupted twice; leaving now. `breakfix gc` removes whatever is left\n',
        });
        const { signal } = interrupt;
        const jobs = Math.min(options.jobs ?? DEFAULT_VERIFY_JOBS, targets.length);
        let results: Verified[];
        const repeat = options.repeat ?? 1;
        try {
          const settled = await mapLimited(
            targets,
            jobs,
            () => signal.aborted,
            async (file) => {
              const id = names.get(file) ?? file;
              // Several labs at once interleave their lines; each line then says whose it is.
              const tag = jobs > 1 ? `${io.style.dim(`[${id}]`)} ` : '  ';
              if (jobs === 1) io.progress(`${io.style.bold(id)} (seed ${seed})\n`);
              else if (alone.has(file))
                io.progress(`${tag}${io.style.bold('verifying')} alone: its load checks time the lab (seed ${seed})\n`);
              else if (heavy.has(file))
                io.progress(
                  `${tag}${io.style.bold('verifying')} with no other heavy lab beside it: its lab has ${engine.HEAVY_LAB_SERVICES} services or more (seed ${seed})\n`,
                );
              else io.progress(`${tag}${io.style.bold('verifying')} (seed ${seed})\n`);
              const printer = createProgressPrinter((text) => io.progress(`${tag}${text}`), io.style);
              const runs: Verified['runs'] = [];
              let last: VerifyResult | undefined;
              for (let run = 1; run <= repeat && !signal.aborted; run += 1) {
                if (repeat > 1) io.progress(`${tag}run ${run} of ${repeat}\n`);
                last = await engine.verifyLab(file, {
                  seed,
                  runtime,
                  signal,
                  wrongFixes: options.wrongFixes === true,
                  ...(options.untilRejected ? { untilRejected: true } : {}),
                  onNotice: (notice) => notice.type === 'state' && printer.onNotice(notice),
                });
                runs.push({ ok: last.ok, seconds: last.seconds, ...(last.error ? { error: last.error } : {}) });
                if (!io.json) printLines(io.out, verifyResultLines(last, io.style));
              }
              if (!last) return undefined;
              if (repeat > 1 && !io.json) {
                const passed = runs.filter((entry) => entry.ok).length;
                const flaky = passed > 0 && passed < runs.length;
                io.out(`${tag}${passed} of ${runs.length} runs ok${flaky ? io.style.bad(' — flaky') : ''}\n`);
              }
              return { last, runs };
            },
            { alone: (file) => alone.has(file), oneAtATime: (file) => heavy.has(file) },
          );
          results = settled.filter((result): result is Verified => result !== undefined);
        } finally {
          interrupt.dispose();
        }
        const passedAll = (result: Verified) => result.runs.every((run) => run.ok);
        const ok = results.length === targets.length && results.every(passedAll);
        if (io.json)
          printJson(io, {
            ok,
            scenarios: results.map((result) => verifyJsonEntry(result.last, repeat > 1 ? result.runs : undefined)),
          });
        else if (targets.length > 1)
          io.out(`${results.filter(passedAll).length} of ${targets.length} scenarios verified\n`);
        return signal.aborted ? 'interrupted' : ok ? 'ok' : 'failed';
      }),
    );
  withExamples(command, [
    ['breakfix verify wrong-port', 'one scenario, about a minute'],
    ['breakfix verify --all --json', 'every scenario, for CI'],
    ['breakfix verify --all --jobs 1', 'one scenario at a time (slower, quieter)'],
    ['breakfix verify wrong-port --wrong-fixes --seed 7', 'also judge the wrong and right fixes, with seed 7'],
    ['breakfix verify --all --wrong-fixes --repeat 3', 'the whole red team three times: flakes show'],
    [
      'breakfix verify --all --wrong-fixes --until-rejected',
      'the red team, each wrong fix judged until its first rejection (CI)',
    ],
  ]);
}
