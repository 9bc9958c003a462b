/**
 * `breakfix releases [--workspace DIR] [--json]`: every release of the lab — number, when,
 * kind, version, what changed — which one runs, where `rollback` would go, and whether the
 * workspace files still describe what runs. Reads the workspace only (no Docker).
 */
import type { Command } from 'commander';
import { releasesLines } from '../render/releases.js';
import { loadEngine } from '../shared/engine.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { withExamples, withSessionOptions, type SessionCommandOptions } from '../shared/options.js';
import { resolveWorkspace } from '../shared/workspace.js';

export function register(program: Command): void {
  const command = withSessionOptions(
    program.command('releases').description('list the releases of the lab: version, when, what changed, which runs'),
  ).action(async (options: SessionCommandOptions) => {
    const engine = await loadEngine();
    const io = commandIO(options.json === true);
    const history = await engine.readLabReleases(resolveWorkspace(engine, options.workspace));
    if (io.json) printJson(io, history);
    else printLines(io.out, releasesLines(history, io.style));
  });
  withExamples(command, [
    ['breakfix releases', 'what each release ran; ▶ marks the one running'],
    ['breakfix rollback --to 2', 'then return to one of them'],
  ]);
}
