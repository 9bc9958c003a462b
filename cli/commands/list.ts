/**
 * `breakfix list [--json]`: the scenarios, easiest first. `--json` prints the contract's
 * `[{id, title, difficulty, tags}]`.
 */
import type { Command } from 'commander';
import { scenarioListLines } from '../render/reports.js';
import { loadEngine } from '../shared/engine.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { withExamples } from '../shared/options.js';

export function register(program: Command): void {
  const command = program
    .command('list')
    .description('list the scenarios you can start, easiest first')
    .option('--json', 'print [{id, title, difficulty, tags}] on stdout')
    .action(async (options: { json?: boolean }) => {
      const engine = await loadEngine();
      const io = commandIO(options.json === true);
      const scenarios = engine.listScenarios();
      if (io.json)
        printJson(
          io,
          scenarios.map(({ id, title, difficulty, tags }) => ({ id, title, difficulty, tags })),
        );
      else printLines(io.out, scenarioListLines(scenarios, io.style));
    });
  withExamples(command, [
    ['breakfix list', 'id, difficulty, title and tags of every scenario'],
    ['breakfix list --json | jq -r ".[].id"', 'just the ids'],
  ]);
}
