/**
 * `breakfix list [--json]`: the scenarios of the selected course (`--course`, BREAKFIX_COURSE or
 * the nearest breakfix-course.yaml upward) and of the built-in course, each in its course's
 * order. `--json` prints the contract's `[{id, title, difficulty, tags}]` plus `course`, `ref`
 * (what to type: `<course-id>/<id>` when two courses share the id) and `module`.
 */
import type { Command } from 'commander';
import { scenarioListLines } from '../render/reports.js';
import { loadEngine } from '../shared/engine.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { withExamples } from '../shared/options.js';

export function register(program: Command): void {
  const command = program
    .command('list')
    .description("list the scenarios you can start, in each course's order")
    .option('--json', 'print [{id, title, difficulty, tags, course, ref, module}] on stdout')
    .action(async (options: { json?: boolean }) => {
      const engine = await loadEngine();
      const io = commandIO(options.json === true);
      const courses = engine.activeCourses();
      const scenarios = engine.listCourseScenarios();
      if (io.json)
        printJson(
          io,
          scenarios.map(({ id, title, difficulty, tags, course, ref, module }) => ({
            id,
            title,
            difficulty,
            tags,
            course,
            ref,
            ...(module !== undefined ? { module } : {}),
          })),
        );
      else printLines(io.out, scenarioListLines(scenarios, io.style, courses));
    });
  withExamples(command, [
    ['breakfix list', 'id, difficulty, title and tags of every scenario'],
    ['breakfix list --course ~/my-course', 'a course kept in its own folder, beside the built-in one'],
    ['breakfix list --json | jq -r ".[].id"', 'just the ids'],
  ]);
}
