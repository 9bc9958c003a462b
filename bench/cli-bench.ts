/**
 * Cold start of the `breakfix` command as a learner's shell runs it: a new process each time,
 * through bin/breakfix (the sh wrapper that picks Node 22). `node -e 0` is measured alongside,
 * interleaved, as the floor no CLI on this machine can go below; `connect` is the engine's
 * Docker connection in a fresh process (every learner command that touches the lab pays it).
 */
import path from 'node:path';
import { Samples } from './stats.js';
import { BREAKFIX_BIN, DIST_BENCH, NODE, run } from './spawn.js';

export async function benchCli(reps: number, log: (line: string) => void): Promise<Samples> {
  const samples = new Samples();
  const cases: Array<[string, string, string[]]> = [
    ['node -e 0', NODE, ['-e', '0']],
    ['breakfix --help', BREAKFIX_BIN, ['--help']],
    ['breakfix list', BREAKFIX_BIN, ['list']],
  ];
  for (let rep = 0; rep < reps; rep += 1) {
    for (const [name, command, args] of cases) {
      const finished = await run(command, args, { timeoutMs: 30_000 });
      if (finished.code !== 0)
        throw new Error(`${name} exited ${finished.code}: ${finished.stderr.trim().split('\n')[0] ?? ''}`);
      samples.add(name, finished.ms);
    }
    const probe = await run(NODE, [path.join(DIST_BENCH, 'connect-probe.js')], { timeoutMs: 30_000 });
    if (probe.code === 0) {
      const figures = JSON.parse(probe.stdout) as { importMs: number; connectMs: number; processMs: number };
      samples.add('engine import (fresh process)', figures.importMs);
      samples.add('engine connect (fresh process)', figures.connectMs);
    } else {
      log(`cli: connect probe failed: ${probe.stderr.trim().split('\n')[0] ?? ''}`);
    }
  }
  return samples;
}
