/**
 * A learner's progress, per user: which scenarios of which course were solved, with what best
 * score, how long it took, how many check rounds and hints — kept in the XDG state folder
 * (`$XDG_STATE_HOME/breakfix/progress.json`, default `~/.local/state/breakfix/`), not in a
 * workspace, so it outlives `stop`, `start --fresh` and deleted folders.
 *
 * Several labs may record at once (two terminals, `watch` and the TUI): every change is a
 * read-modify-write under a lock (proper-lockfile, stale when its holder died), written
 * atomically (write + rename), so no update is lost and no reader sees half a file.
 */
import { mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { writeStateFile } from '../util/state-file.js';

/** One lab run of a scenario (one session), as far as progress cares. */
export interface AttemptRecord {
  workspace: string;
  startedAt: string;
  /** Hints revealed in this session. */
  hints: number;
  rounds: number;
}

export interface ScenarioProgress {
  solved: boolean;
  /** The best `score` of any check round (the sum of the checks' points). */
  bestScore?: number;
  maxScore?: number;
  /** The best `finalScore` (score with the scenario's hint cost and time bonus), when it declares them. */
  bestFinalScore?: number;
  /** When it was first solved. */
  solvedAt?: string;
  /** From the lab being up (symptoms shown) to the first round where every check passed. */
  timeToSolveMs?: number;
  /** Check rounds over every attempt. */
  checkRounds: number;
  /** Hints revealed over every attempt. */
  hintsUsed: number;
  firstAttemptAt: string;
  lastAttemptAt: string;
  /** The most recent sessions, by session id (the last ones kept: see MAX_ATTEMPTS). */
  attempts: Record<string, AttemptRecord>;
}

export interface CourseProgress {
  scenarios: Record<string, ScenarioProgress>;
}

export interface ProgressFile {
  format: 1;
  courses: Record<string, CourseProgress>;
  /** The lab the learner worked on last. */
  last?: { course: string; scenario: string; workspace: string; at: string };
}

const MAX_ATTEMPTS = 20;

/**
 * `$XDG_STATE_HOME/breakfix`, else `~/.local/state/breakfix` (the XDG Base Directory spec:
 * a relative XDG_STATE_HOME is invalid and ignored). Two lines of the spec, so no dependency.
 */
export function progressDir(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME;
  const base = state && path.isAbsolute(state) ? state : path.join(env.HOME || os.homedir(), '.local', 'state');
  return path.join(base, 'breakfix');
}

export function progressFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(progressDir(env), 'progress.json');
}

export function emptyProgress(): ProgressFile {
  return { format: 1, courses: {} };
}

/** The progress on disk; a missing file is no progress yet, a damaged one is kept aside by the next write. */
export async function readProgress(file: string = progressFile()): Promise<ProgressFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyProgress();
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as ProgressFile;
    if (parsed.format === 1 && parsed.courses && typeof parsed.courses === 'object') return parsed;
  } catch {
    // Falls through: a file that is not ours is treated as no progress.
  }
  return emptyProgress();
}

/**
 * Changes the progress under the lock: `change` gets the current file and returns the next
 * one. Waits up to about ten seconds for another process; the lock is stale after 10 s without a
 * refresh, so a killed process never wedges it.
 */
export async function updateProgress(
  change: (progress: ProgressFile) => ProgressFile,
  file: string = progressFile(),
): Promise<ProgressFile> {
  await mkdir(path.dirname(file), { recursive: true });
  const release = await lockfile.lock(file, {
    lockfilePath: `${file}.lock`,
    realpath: false,
    stale: 10_000,
    update: 2_000,
    retries: { retries: 200, minTimeout: 10, maxTimeout: 50, factor: 1.2 },
  });
  try {
    const next = change(await readProgress(file));
    await writeStateFile(file, `${JSON.stringify(next, null, 2)}\n`);
    return next;
  } finally {
    await release().catch(() => undefined);
  }
}

/** The entry of one scenario, created on first use. */
export function scenarioEntry(progress: ProgressFile, course: string, scenario: string, at: string): ScenarioProgress {
  const courseEntry = (progress.courses[course] ??= { scenarios: {} });
  return (courseEntry.scenarios[scenario] ??= {
    solved: false,
    checkRounds: 0,
    hintsUsed: 0,
    firstAttemptAt: at,
    lastAttemptAt: at,
    attempts: {},
  });
}

/** Keeps the most recent attempts only; totals already count the dropped ones. */
export function trimAttempts(entry: ScenarioProgress): void {
  const ids = Object.keys(entry.attempts);
  if (ids.length <= MAX_ATTEMPTS) return;
  const oldest = ids
    .sort((a, b) => Date.parse(entry.attempts[a]!.startedAt) - Date.parse(entry.attempts[b]!.startedAt))
    .slice(0, ids.length - MAX_ATTEMPTS);
  for (const id of oldest) delete entry.attempts[id];
}
