/**
 * `breakfix schema`: the scenario JSON Schema on stdout, for editors. The repository keeps a
 * copy in scenarios/scenario.schema.json (a unit test keeps it in sync); scenario files point
 * at it with `# yaml-language-server: $schema=../scenario.schema.json`.
 */
import type { Command } from 'commander';
import { outputOf } from './validate.js';
import { exitWith } from '../shared/exit.js';

export async function schemaText(): Promise<string> {
  const { scenarioJsonSchema } = await import('../../engine/index.js');
  return `${JSON.stringify(await scenarioJsonSchema(), null, 2)}\n`;
}

export function register(program: Command): void {
  program
    .command('schema')
    .description('print the scenario JSON Schema (for editors: yaml-language-server, VS Code)')
    .action(
      exitWith(async (_options: unknown, command: Command) => {
        outputOf(command).out(await schemaText());
      }),
    );
}
