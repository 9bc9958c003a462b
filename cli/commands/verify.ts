/**
 * `breakfix verify [<scenario>...|--all] [--json] [--wrong-fixes] [--seed N] [--jobs N]`: prove
 * scenarios work — the fault bites, the checks fail before the fix, the reference solution
 * passes, and nothing is left behind. Exit 0 when every scenario is proven, 1 otherwise. `--json`
 * prints `{ok, scenarios:[{id, ok, symptomsObserved, solutionPassed, leaked, seconds}]}`, in the
 * order the scenarios were named whatever order they finish in.
 */
import os from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import type { VerifyResult } from '../../engine/index.js';
import { createProgressPrinter } from '../render/progress.js';
import { verifyJsonEntry, verifyResultLines } from '../render/reports.js';
import { loadEngine } from '../shared/engine.js';
import { abortOnInterrupt, EXIT_INTERRUPTED } from '../shared/interrupt.js';
import { mapLimited } from '../shared/map-limited.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { parseSeed, withExamples } from '../shared/options.js';

interface VerifyOptions {
  all?: boolean;
  json?: boolean;
  wrongFixes?: boolean;
  seed?: number;
  jobs?: number;
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
    .argument('[scenario...]', 'scenario ids')
    .option('--all', 'every scenario of scenarios/')
    .option('--wrong-fixes', "also prove that each of the scenario's declared wrong fixes fails")
    .option('--seed <n>', 'the seed for seeded parameters (default 1)', parseSeed)
    .option('-j, --jobs <n>', `scenarios verified at once (default ${DEFAULT_VERIFY_JOBS}, one per core)`, parseJobs)
    .option('--json', 'print {ok, scenarios:[{id, ok, symptomsObserved, solutionPassed, leaked, seconds}]} on stdout')
    .action(async (ids: string[], options: VerifyOptions, self: Command) => {
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
      const targets = options.all ? engine.listScenarios().map((scenario) => scenario.id) : ids;
      // A typo must fail now, not after the first scenario's three minutes.
      for (const id of targets) await engine.resolveScenario(id, seed);
      const runtime = await engine.connect();

      const interrupt = abortOnInterrupt(io.err, {
        first: '\nbreakfix: interrupted; removing the labs being verified… (Ctrl-C again to leave at once)\n',
        second: 'breakfix: interrupted twice; leaving now. `breakfix gc` removes whatever is left\n',
      });
      const { signal } = interrupt;
      const jobs = Math.min(options.jobs ?? DEFAULT_VERIFY_JOBS, targets.length);
      let results: VerifyResult[];
      try {
        const settled = await mapLimited(
          targets,
          jobs,
          () => signal.aborted,
          async (id) => {
            // Several labs at once interleave their lines; each line then says whose it is.
            const tag = jobs > 1 ? `${io.style.dim(`[${id}]`)} ` : '  ';
            if (jobs === 1) io.progress(`${io.style.bold(id)} (seed ${seed})\n`);
            else io.progress(`${tag}${io.style.bold('verifying')} (seed ${seed})\n`);
            const printer = createProgressPrinter((text) => io.progress(`${tag}${text}`), io.style);
            const result = await engine.verifyLab(id, {
              seed,
              runtime,
              signal,
              wrongFixes: options.wrongFixes === true,
              onNotice: (notice) => notice.type === 'state' && printer.onNotice(notice),
            });
            if (!io.json) printLines(io.out, verifyResultLines(result, io.style));
            return result;
          },
        );
        results = settled.filter((result): result is VerifyResult => result !== undefined);
      } finally {
        interrupt.dispose();
      }
      const ok = results.length === targets.length && results.every((result) => result.ok);
      if (io.json) printJson(io, { ok, scenarios: results.map(verifyJsonEntry) });
      else if (targets.length > 1)
        io.out(`${results.filter((result) => result.ok).length} of ${targets.length} scenarios verified\n`);
      process.exitCode = signal.aborted ? EXIT_INTERRUPTED : ok ? 0 : 1;
    });
  withExamples(command, [
    ['breakfix verify wrong-port', 'one scenario, about a minute'],
    ['breakfix verify --all --json', 'every scenario, for CI'],
    ['breakfix verify --all --jobs 1', 'one scenario at a time (slower, quieter)'],
    ['breakfix verify wrong-port --wrong-fixes --seed 7', 'also prove the wrong fixes fail, with seed 7'],
  ]);
}
