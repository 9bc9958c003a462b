/**
 * `breakfix course init DIR`: start a course of one's own — a folder with breakfix-course.yaml,
 * a lab, a scenario that `validate` and `verify --wrong-fixes` accept as written, a README and
 * a CI workflow (engine/course/init.ts).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { displayPath, outputOf } from './validate.js';
import { schemaText } from './schema.js';
import { exitWith, type ExitOutcome } from '../shared/exit.js';

export function register(program: Command): void {
  const course = program.command('course').description('work with courses (a folder holding breakfix-course.yaml)');
  course
    .command('init')
    .description('create a course in DIR: a lab, a scenario with its red team, a README and a CI workflow')
    .argument('<dir>', 'the folder to create (or an empty one)')
    .option('--id <id>', 'the course id (default: the folder name, kebab-case)')
    .option('--title <title>', 'the course title')
    .action(
      exitWith(
        async (dir: string, options: { id?: string; title?: string }, command: Command): Promise<ExitOutcome> => {
          const io = outputOf(command);
          const engine = await import('../../engine/index.js');
          const result = engine.initCourse(dir, {
            ...(options.id !== undefined ? { id: options.id } : {}),
            ...(options.title !== undefined ? { title: options.title } : {}),
            schema: await schemaText(),
          });
          const cwd = process.cwd();
          for (const file of result.files) io.out(`created ${displayPath(path.join(result.dir, file), cwd)}\n`);
          const where = displayPath(result.dir, cwd);
          io.out(
            `\ncourse ${result.id} is ready. Next:\n` +
              `  cd ${where}\n` +
              `  npx breakfix validate                        # the course's scenarios and labs\n` +
              `  npx breakfix verify --all --wrong-fixes      # prove them on Docker\n` +
              `Read ${where}/README.md for the rest.\n`,
          );
          return 'ok';
        },
      ),
    );
}
