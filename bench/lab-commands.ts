/**
 * `lab-commands`: what a learner waits for at the shell, dozens of times per lab — `status`,
 * `hint`, `logs`, `check` — each as a new process through bin/breakfix, on a running lab,
 * interleaved with `docker ps` (Docker's own CLI, the floor a learner compares with) in the
 * same run, so load hits both. Each sample also records the process's CPU time (user + system,
 * from /usr/bin/time when present): on a shared machine wall time follows the load, CPU time
 * much less.
 *
 * Rows: the commands on the scenario's broken lab (its `check` retries for the window while
 * the lab can still settle), `check` once the reference solution is applied (the goal's
 * "healthy lab": non-destructive checks, then probes and the durability proof, the proof cached
 * by the workspace's hash after the first round), and `check` with the api container stopped —
 * a certain failure, which must be reported without waiting out the window.
 */
import { existsSync } from 'node:fs';
import { containerName } from '../engine/deploy/lab.js';
import type { Runtime } from '../engine/runtime/runtime.js';
import type { Cleanup } from './cleanup.js';
import type { EngineBench } from './engine-bench.js';
import { BREAKFIX_BIN, run, type Finished } from './spawn.js';
import { median, Samples, type Summary } from './stats.js';

export interface LabCommandsFigures {
  scenario: string;
  /** Wall time per command (and `docker ps`). */
  commands: Record<string, Summary>;
  /** CPU time (user + system) per command, when /usr/bin/time is available. */
  cpu: Record<string, Summary>;
  /** Median of each command ÷ median of `docker ps`, same run. */
  ratioToDockerPs: Record<string, number>;
  error?: string;
}

const TIME = '/usr/bin/time';
const CPU_MARK = 'BENCH-CPU';

/** One command in a new process; CPU time from /usr/bin/time's last stderr line when it is there. */
async function timed(command: string, args: string[]): Promise<Finished & { cpuMs?: number }> {
  if (!existsSync(TIME)) return run(command, args, { timeoutMs: 120_000 });
  const finished = await run(TIME, ['-f', `${CPU_MARK} %U %S`, command, ...args], { timeoutMs: 120_000 });
  const line = finished.stderr
    .trim()
    .split('\n')
    .reverse()
    .find((text) => text.startsWith(CPU_MARK));
  if (!line) return finished;
  const [user, system] = line.split(' ').slice(1).map(Number);
  return { ...finished, cpuMs: Math.round(((user ?? 0) + (system ?? 0)) * 1000) };
}

export async function benchLabCommands(
  scenario: string,
  reps: number,
  engine: EngineBench,
  runtime: Runtime,
  cleanup: Cleanup,
  log: (line: string) => void,
): Promise<{ figures: LabCommandsFigures; leaked: number }> {
  const wall = new Samples();
  const cpu = new Samples();
  const figures: LabCommandsFigures = { scenario, commands: {}, cpu: {}, ratioToDockerPs: {} };
  const outcome = await engine.start(scenario);
  if (outcome.sessionId) cleanup.sessions.add(outcome.sessionId);
  const ws = ['--workspace', outcome.workspace];
  /** Runs the named commands `reps` times, each rep interleaved with `docker ps`. */
  const round = async (cases: Array<[string, string[], number[]]>) => {
    for (let rep = 0; rep < reps && !cleanup.interrupted; rep += 1) {
      for (const [name, args, codes] of cases) {
        const ps = await timed('docker', ['ps']);
        if (ps.code !== 0) throw new Error(`docker ps exited ${ps.code}`);
        wall.add('docker ps', ps.ms);
        if (ps.cpuMs !== undefined) cpu.add('docker ps', ps.cpuMs);
        const finished = await timed(BREAKFIX_BIN, [...args, ...ws]);
        if (!codes.includes(finished.code ?? -1))
          throw new Error(
            `breakfix ${args.join(' ')} exited ${finished.code}: ${(finished.stderr || finished.stdout).trim().split('\n')[0] ?? ''}`,
          );
        wall.add(name, finished.ms);
        if (finished.cpuMs !== undefined) cpu.add(name, finished.cpuMs);
      }
    }
  };
  try {
    if (!outcome.ok || !outcome.sessionId) throw new Error(`start failed: ${outcome.error}`);
    await round([
      ['status', ['status'], [0]],
      ['hint', ['hint'], [0]],
      ['logs api --tail 20', ['logs', 'api', '--tail', '20'], [0]],
      ['check, broken lab', ['check', '--json'], [1]],
    ]);
    await engine.applySolution(outcome.workspace, scenario, outcome.sessionId);
    await round([
      ['check, fixed lab', ['check', '--json'], [0]],
      ['status, fixed lab', ['status'], [0]],
    ]);
    // A certain failure: the api container exited (stopped), nothing will bring it back.
    await runtime.stopContainer(containerName({ sessionId: outcome.sessionId }, 'api'), 2);
    await round([['check, api stopped (certain failure)', ['check', '--json'], [1]]]);
  } catch (error) {
    figures.error = error instanceof Error ? error.message : String(error);
    log(`  lab-commands: ${figures.error}`);
  } finally {
    await engine.stop(outcome.workspace, scenario).catch(() => undefined);
  }
  const leaked = outcome.sessionId ? await cleanup.sweepSession(outcome.sessionId) : 0;
  for (const name of wall.names()) figures.commands[name] = wall.summary(name) as Summary;
  for (const name of cpu.names()) figures.cpu[name] = cpu.summary(name) as Summary;
  const floor = median(wall.get('docker ps'));
  for (const name of wall.names())
    if (name !== 'docker ps' && floor > 0)
      figures.ratioToDockerPs[name] = Math.round((median(wall.get(name)) / floor) * 10) / 10;
  return { figures, leaked };
}
