/**
 * `breakfix list [--json]`: the scenarios of the selected course (`--course`, BREAKFIX_COURSE or
 * the nearest breakfix-course.yaml upward) and of the built-in course, each in its course's
 * order, with ✓ for the ones you solved and your best score. `--json` prints the contract's
 * `[{id, title, difficulty, tags}]` plus `course`, `ref` (what to type: `<course-id>/<id>` when
 * two courses share the id), `module`, `solved` and, once you checked it, `bestScore` and `maxScore`.
 */
import type { Command } from 'commander';
import { listProgressKey, scenarioListLines, type ListProgress } from '../render/reports.js';
import { loadEngine } from '../shared/engine.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { withExamples } from '../shared/options.js';

export function register(program: Command): void {
  const command = program
    .command('list')
    .description("list the scenarios you can start, in each course's order (✓ solved, with your best score)")
    .option(
      '--json',
      'print [{id, title, difficulty, tags, course, ref, module, solved, bestScore?, maxScore?}] on stdout',
    )
    .action(async (options: { json?: boolean }) => {
      const engine = await loadEngine();
      const io = commandIO(options.json === true);
      const courses = engine.activeCourses();
      const scenarios = engine.listCourseScenarios();
      // Progress is the learner's own file; a damaged one must not hide the scenarios.
      const scores = await engine.readLearnerScores().catch(() => ({}));
      const progress = new Map<string, ListProgress>(Object.entries(scores));
      if (io.json)
        printJson(
          io,
          scenarios.map(({ id, title, difficulty, tags, course, ref, module }) => {
            const entry = progress.get(listProgressKey({ id, course }));
            return {
              id,
              title,
              difficulty,
              tags,
              course,
              ref,
              ...(module !== undefined ? { module } : {}),
              solved: entry?.solved === true,
              ...(entry?.bestScore !== undefined ? { bestScore: entry.bestScore, maxScore: entry.maxScore } : {}),
            };
          }),
        );
      else printLines(io.out, scenarioListLines(scenarios, io.style, courses, progress));
    });
  withExamples(command, [
    ['breakfix list', 'id, difficulty, title and tags of every scenario; ✓ and best score once solved'],
    ['breakfix list --course ~/my-course', 'a course kept in its own folder, beside the built-in one'],
    ['breakfix list --json | jq -r ".[].id"', 'just the ids'],
  ]);
}
