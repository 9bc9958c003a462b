/**
 * `breakfix rollback [--to N] [--workspace DIR] [--json]`: redeploy an earlier release — its
 * exact images and configuration — as a new release. Without `--to`, the last release that ran
 * another version; running it twice walks two versions back. It names its target, and says
 * when the workspace files no longer describe what runs.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { releaseCommand } from '../shared/release-command.js';
import { withExamples, withSessionOptions } from '../shared/options.js';

function parseRelease(value: string): number {
  const release = Number(value);
  if (!Number.isInteger(release) || release < 1) throw new InvalidArgumentError('expected a release number (1, 2, …)');
  return release;
}

export function register(program: Command): void {
  const command = withSessionOptions(
    program
      .command('rollback')
      .description('return to an earlier release (its images and configuration); `breakfix releases` lists them')
      .option('--to <n>', 'the release to return to (default: the last one that ran another version)', parseRelease),
  ).action(releaseCommand('ROLLBACK'));
  withExamples(command, [
    ['breakfix rollback', 'the last deploy broke things: go back to the version before'],
    ['breakfix rollback --to 2', 'return to release 2 exactly'],
    ['breakfix releases', 'then see which release runs'],
  ]);
}
