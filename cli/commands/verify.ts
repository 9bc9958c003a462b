/**
 * `breakfix verify [<scenario>...|--all] [--json] [--wrong-fixes] [--seed N]`: prove scenarios
 * work — the fault bites, the checks fail before the fix, the reference solution passes, and
 * nothing is left behind. Exit 0 when every scenario is proven, 1 otherwise. `--json` prints
 * `{ok, scenarios:[{id, ok, symptomsObserved, solutionPassed, leaked, seconds}]}`.
 */
import type { Command } from 'commander';
import type { VerifyResult } from '../../engine/index.js';
import { createProgressPrinter } from '../render/progress.js';
import { verifyJsonEntry, verifyResultLines } from '../render/reports.js';
import { loadEngine } from '../shared/engine.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { parseSeed, withExamples } from '../shared/options.js';

interface VerifyOptions {
  all?: boolean;
  json?: boolean;
  wrongFixes?: boolean;
  seed?: number;
}

export function register(program: Command): void {
  const command = program
    .command('verify')
    .description('prove scenarios: fault bites, checks fail, the solution passes, nothing leaks')
    .argument('[scenario...]', 'scenario ids')
    .option('--all', 'every scenario of scenarios/')
    .option('--wrong-fixes', "also prove that each of the scenario's declared wrong fixes fails")
    .option('--seed <n>', 'the seed for seeded parameters (default 1)', parseSeed)
    .option('--json', 'print {ok, scenarios:[{id, ok, symptomsObserved, solutionPassed, leaked, seconds}]} on stdout')
    .action(async (ids: string[], options: VerifyOptions, self: Command) => {
      if (options.all && ids.length > 0) self.error('breakfix verify: give scenario ids or --all, not both', { exitCode: 2, code: 'breakfix.usage' });
      if (!options.all && ids.length === 0) self.error('breakfix verify: name the scenarios to verify, or pass --all (see `breakfix list`)', { exitCode: 2, code: 'breakfix.usage' });
      const io = commandIO(options.json === true);
      const engine = await loadEngine();
      const seed = options.seed ?? 1;
      const targets = options.all ? engine.listScenarios().map((scenario) => scenario.id) : ids;
      // A typo must fail now, not after the first scenario's three minutes.
      for (const id of targets) await engine.resolveScenario(id, seed);
      const runtime = await engine.connect();

      const controller = new AbortController();
      const interrupt = () => {
        io.err('\nbreakfix: interrupted; removing the lab being verified…\n');
        controller.abort();
      };
      process.once('SIGINT', interrupt);
      const results: VerifyResult[] = [];
      try {
        for (const id of targets) {
          if (controller.signal.aborted) break;
          io.progress(`${io.style.bold(id)} (seed ${seed})\n`);
          const printer = createProgressPrinter((text) => io.progress(`  ${text}`), io.style);
          const result = await engine.verifyLab(id, { seed, runtime, signal: controller.signal, wrongFixes: options.wrongFixes === true, onNotice: (notice) => notice.type === 'state' && printer.onNotice(notice) });
          results.push(result);
          if (!io.json) printLines(io.out, verifyResultLines(result, io.style));
        }
      } finally {
        process.off('SIGINT', interrupt);
      }
      const ok = results.length === targets.length && results.every((result) => result.ok);
      if (io.json) printJson(io, { ok, scenarios: results.map(verifyJsonEntry) });
      else if (targets.length > 1) io.out(`${results.filter((result) => result.ok).length} of ${targets.length} scenarios verified\n`);
      process.exitCode = controller.signal.aborted ? 130 : ok ? 0 : 1;
    });
  withExamples(command, [
    ['breakfix verify wrong-port', 'one scenario, about a minute'],
    ['breakfix verify --all --json', 'every scenario, for CI'],
    ['breakfix verify wrong-port --wrong-fixes --seed 7', 'also prove the wrong fixes fail, with seed 7'],
  ]);
}
