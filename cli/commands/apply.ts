/**
 * `breakfix apply [--workspace DIR] [--json]`: this simulator's `docker compose up --build`:
 * rebuild and recreate what changed in the workspace, as a new release. Exit 1 when the
 * workspace does not deploy (a compose or Dockerfile error, named with its file and line).
 */
import type { Command } from 'commander';
import { releaseCommand } from '../shared/release-command.js';
import { withExamples, withSessionOptions } from '../shared/options.js';

export function register(program: Command): void {
  const command = withSessionOptions(
    program.command('apply').description('build and redeploy what changed in the workspace (a new release)'),
  ).action(releaseCommand('APPLY'));
  withExamples(command, [
    ['breakfix apply', 'after editing compose.yaml, the Dockerfile, .env…'],
    ['breakfix apply && breakfix check', 'redeploy, then grade'],
  ]);
}
