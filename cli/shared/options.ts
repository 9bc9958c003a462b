/**
 * The options every session command shares (`--workspace DIR`, `--json`) and the help text
 * that ends each command's `--help` with an example.
 */
import { InvalidArgumentError, type Command } from 'commander';

export interface SessionCommandOptions {
  workspace?: string;
  json?: boolean;
}

export function withWorkspaceOption(command: Command): Command {
  return command.option(
    '-w, --workspace <dir>',
    'the lab workspace (default: the nearest folder upward holding .breakfix/)',
  );
}

export function withSessionOptions(command: Command): Command {
  return withWorkspaceOption(command).option('--json', 'print one JSON document on stdout');
}

/** `Examples:` after the options, as `git` and `docker` print them. */
export function withExamples(command: Command, examples: ReadonlyArray<readonly [string, string]>): Command {
  const width = Math.max(...examples.map(([line]) => line.length));
  const text = examples.map(([line, comment]) => `  $ ${line.padEnd(width)}   ${comment}`).join('\n');
  return command.addHelpText('after', `\nExamples:\n${text}\n`);
}

/** `--seed 42`: a whole number; anything else is commander's usage error (exit 2). */
export function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 1 || seed > 2 ** 31 - 1)
    throw new InvalidArgumentError(`expected a whole number from 1 to ${2 ** 31 - 1}`);
  return seed;
}
