/**
 * One interruption: run a `breakfix` command, watch its workspace until the session is in the
 * aimed phase, wait a random moment inside it, and send SIGINT (Ctrl-C) or SIGKILL (no cleanup
 * code runs at all). The phase the signal really landed in is read again just before sending,
 * so a shot that arrives after the phase ended is counted where it landed, not where it aimed.
 */
import { spawn } from 'node:child_process';
import { probing, stateOfLine, type Phase } from './phases.js';

export type Interruption = 'SIGINT' | 'SIGKILL';

export interface Shot {
  aimed: Phase;
  signal: Interruption;
  /** The phase read just before the signal went out; undefined when the command ended first. */
  landed?: string;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  ms: number;
  /** The last lines the command printed (for the log of a surprising outcome). */
  tail: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface InterruptOptions {
  bin: string;
  env: NodeJS.ProcessEnv;
  /** How long after entering the phase the signal goes out: shots spread over the phase. */
  delayMs: number;
  /** A command that takes longer is killed and reported. */
  timeoutMs: number;
}

export async function interruptAt(
  args: string[],
  workspace: string,
  aimed: Phase,
  signal: Interruption,
  options: InterruptOptions,
): Promise<Shot> {
  const started = Date.now();
  const child = spawn(options.bin, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let partial = '';
  /** The state the command last announced on its progress lines. */
  let state: string | undefined;
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-4000);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) state = stateOfLine(line) ?? state;
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, exitSignal) => {
      exited = true;
      resolve({ code, signal: exitSignal });
    }),
  );
  const now = () => (probing(workspace) ? 'probing' : state);

  let landed: string | undefined;
  while (!exited && Date.now() - started < options.timeoutMs) {
    if (now() === aimed) {
      await sleep(options.delayMs);
      if (exited) break;
      landed = now() ?? 'resting';
      child.kill(signal);
      break;
    }
    await sleep(5);
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  const result = await exit;
  clearTimeout(timer);
  return {
    aimed,
    signal,
    ...(landed !== undefined ? { landed } : {}),
    exitCode: result.code,
    exitSignal: result.signal,
    ms: Date.now() - started,
    tail: output.split('\n').slice(-8).join('\n'),
  };
}

/** Runs a command to its end (setting up or repairing a lab between shots). */
export async function runCommand(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 600_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}
