/**
 * `breakfix list [--json]`: the scenarios, easiest first, with ✓ for the ones you solved and
 * your best score. `--json` prints the contract's `[{id, title, difficulty, tags}]` plus
 * `solved` and, once you checked it, `bestScore` and `maxScore`.
 */
import type { Command } from 'commander';
import { scenarioListLines, type ListProgress } from '../render/reports.js';
import { loadEngine } from '../shared/engine.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { withExamples } from '../shared/options.js';

export function register(program: Command): void {
  const command = program
    .command('list')
    .description('list the scenarios you can start, easiest first (✓ solved, with your best score)')
    .option('--json', 'print [{id, title, difficulty, tags, solved, bestScore?, maxScore?}] on stdout')
    .action(async (options: { json?: boolean }) => {
      const engine = await loadEngine();
      const io = commandIO(options.json === true);
      const scenarios = engine.listScenarios();
      // Progress is the learner's own file; a damaged one must not hide the scenarios.
      const journey = await engine.describeLearnerJourney().catch(() => undefined);
      const progress = new Map<string, ListProgress>(
        (journey?.scenarios ?? []).map((entry) => [
          entry.id,
          {
            solved: entry.solved,
            ...(entry.bestScore !== undefined ? { bestScore: entry.bestScore, maxScore: entry.maxScore ?? 0 } : {}),
          },
        ]),
      );
      if (io.json)
        printJson(
          io,
          scenarios.map(({ id, title, difficulty, tags }) => ({
            id,
            title,
            difficulty,
            tags,
            solved: progress.get(id)?.solved === true,
            ...(progress.get(id)?.bestScore !== undefined
              ? { bestScore: progress.get(id)?.bestScore, maxScore: progress.get(id)?.maxScore }
              : {}),
          })),
        );
      else printLines(io.out, scenarioListLines(scenarios, io.style, progress));
    });
  withExamples(command, [
    ['breakfix list', 'id, difficulty, title and tags of every scenario; ✓ and best score once solved'],
    ['breakfix list --json | jq -r ".[].id"', 'just the ids'],
  ]);
}
