/**
 * `breakfix validate [PATH...] [--json]`: check scenario files, or a whole course (a course
 * folder as PATH, or no PATH: the course the command sees — its breakfix-course.yaml, each lab's
 * compose.yaml, every scenario; each scenario's edits simulated on its lab). Errors go to stderr
 * as `path:line:col: message`, then a summary line; `--json` prints
 * `{ok, files:[{file, kind, ok, errors:[{line, col, message, path}]}]}` on stdout instead.
 * Exit 0 when every file is valid, 1 when one is not, 2 on a usage error (a path that does not
 * exist or holds no scenario).
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { ScenarioValidation } from '../../engine/index.js';
import { exitWith, type ExitOutcome } from '../shared/exit.js';

// Shared with `schema` and `new`: where output goes (the command's commander output
// configuration, so tests capture it in-process) and where scenarios and labs live.

export interface ScenarioCommandDeps {
  /** Defaults to the package's scenarios/. */
  scenariosDir?: string;
  /** Defaults to the package's labs/. */
  labsDir?: string;
  /** Paths in messages are shown relative to it; defaults to process.cwd(). */
  cwd?: string;
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export function outputOf(command: Command): Output {
  const config = command.configureOutput();
  return {
    out: (text) => (config.writeOut ? config.writeOut(text) : process.stdout.write(text)),
    err: (text) => (config.writeErr ? config.writeErr(text) : process.stderr.write(text)),
  };
}

/** `scenarios/x/scenario.yaml` when under the working folder, else the absolute path. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

export interface ValidateJson {
  ok: boolean;
  files: Array<{
    file: string;
    kind: 'scenario' | 'course' | 'lab';
    ok: boolean;
    errors: Array<{ line: number; col: number; message: string; path: string; file?: string }>;
  }>;
}

export function validationJson(files: ScenarioValidation[], cwd?: string): ValidateJson {
  return {
    ok: files.every((file) => file.ok),
    files: files.map((result) => ({
      file: displayPath(result.file, cwd),
      kind: result.kind ?? 'scenario',
      ok: result.ok,
      // An error in another file (a solution file's template) says which.
      errors: result.errors.map((error) => ({
        line: error.line,
        col: error.col,
        message: error.message,
        path: error.path,
        ...(error.file !== result.file ? { file: displayPath(error.file, cwd) } : {}),
      })),
    })),
  };
}

const noun = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * `8 scenario files valid` / `1 invalid scenario file of 2 (2 errors)`; a course adds its file
 * and its labs: `1 course file, 2 lab compose files and 3 scenario files valid`.
 */
export function validationSummary(files: readonly ScenarioValidation[]): string {
  const words = { course: 'course file', lab: 'lab compose file', scenario: 'scenario file' } as const;
  const counts = (list: readonly ScenarioValidation[], prefix = '') =>
    (['course', 'lab', 'scenario'] as const)
      .map((kind) => [kind, list.filter((file) => (file.kind ?? 'scenario') === kind).length] as const)
      .filter(([, count]) => count > 0)
      .map(([kind, count]) => noun(count, `${prefix}${words[kind]}`));
  const join = (parts: string[]) =>
    parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  const invalid = files.filter((file) => !file.ok);
  if (invalid.length === 0) return `${join(counts(files))} valid`;
  const errorCount = invalid.reduce((sum, file) => sum + file.errors.length, 0);
  return `${join(counts(invalid, 'invalid '))} of ${files.length} (${noun(errorCount, 'error')})`;
}

export function register(program: Command, deps: ScenarioCommandDeps = {}): void {
  program
    .command('validate')
    .description('check scenario files; errors as path:line:col: message (exit 1 if any file is invalid)')
    .argument(
      '[path...]',
      'scenario.yaml files, scenario folders or course folders (default: the whole course: --course, or the one around the working folder, else the built-in one)',
    )
    .option('--json', 'print {ok, files:[{file, kind, ok, errors:[{line, col, message, path}]}]} on stdout')
    .action(
      exitWith(async (paths: string[], options: { json?: boolean }, command: Command): Promise<ExitOutcome> => {
        const io = outputOf(command);
        const cwd = deps.cwd ?? process.cwd();
        const { validateScenarios } = await import('../../engine/index.js');
        const { files, usageErrors } = await validateScenarios(paths, {
          ...(deps.scenariosDir ? { scenariosDir: deps.scenariosDir } : {}),
          ...(deps.labsDir ? { labsDir: deps.labsDir } : {}),
        });
        if (options.json) io.out(`${JSON.stringify(validationJson(files, cwd))}\n`);
        else {
          for (const result of files)
            for (const error of result.errors)
              io.err(`${displayPath(error.file, cwd)}:${error.line}:${error.col}: ${error.message}\n`);
          if (files.length > 0) io.out(`${validationSummary(files)}\n`);
        }
        if (usageErrors.length > 0) {
          command.error(`breakfix validate: ${usageErrors.join('; ')}`, { exitCode: 2, code: 'breakfix.usage' });
          return 'error';
        }
        return files.every((file) => file.ok) ? 'ok' : 'failed';
      }),
    );
}
