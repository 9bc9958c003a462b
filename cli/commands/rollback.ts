/**
 * `breakfix rollback [--workspace DIR] [--json]`: redeploy the previous release — its exact
 * images and configuration — as a new release. Running it twice walks two releases back.
 */
import type { Command } from 'commander';
import { releaseCommand } from '../shared/release-command.js';
import { withExamples, withSessionOptions } from '../shared/options.js';

export function register(program: Command): void {
  const command = withSessionOptions(
    program.command('rollback').description('return to the previous release (its images and configuration)'),
  ).action(releaseCommand('ROLLBACK'));
  withExamples(command, [
    ['breakfix rollback', 'the last deploy broke things: go back one release'],
    ['breakfix status', 'then see which release runs'],
  ]);
}
