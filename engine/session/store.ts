/**
 * A session's state on disk, in `<workspace>/.breakfix/`: `session.json` (ids, seed, the last
 * resting snapshot of the machine and what is in progress), `releases.json`, `events.jsonl`.
 * Every CLI command is its own process, so this file is the session; see writeStateFile for
 * engine/util/state-file.ts for how
 * it is written.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { workspaceError } from '../errors.js';
import { writeStateFile } from '../util/state-file.js';

export const STATE_DIR = '.breakfix';

export interface SessionProgress {
  /** The machine state being worked on, e.g. `deploying`. */
  state: string;
  pid: number;
  since: string;
}

export interface SessionFile {
  format: 1;
  sessionId: string;
  scenarioId: string;
  seed: number;
  workspace: string;
  createdAt: string;
  /** Bumped on every write, so a process can tell that another one changed the session. */
  revision: number;
  /** The machine's persisted snapshot at its last resting state; absent until the lab first came up. */
  snapshot?: unknown;
  /** The resting state of `snapshot`, readable without XState. */
  state?: string;
  progress?: SessionProgress;
  /** When the Docker engine had last started as of the lab's last (re)deploy: see EngineInfo.bootedAt. */
  engineBootedAt?: string;
  /**
   * `grade`: a grader's sandbox around submitted files. Kept for every later operation on the
   * session, so its check rounds never start a durability proof of their own (that would be a
   * grade inside a grade).
   */
  mode?: 'grade';
  /**
   * A lab that lives only as long as the process that started it (verify's labs, grade's
   * sandbox): when that process is gone — killed before its own teardown could run — `gc`
   * removes the lab although its temporary workspace is still on disk.
   */
  owner?: { pid: number };
  /**
   * Absolute path of the scenario.yaml the lab started from: later commands load the rules from
   * there, whichever folder they run in (a course's scenario is found without --course).
   */
  scenarioFile?: string;
  /** `sha256:<hex>` of that file when the lab started; `check` says when the file changed since. */
  scenarioHash?: string;
  /** The course the scenario belongs to. */
  course?: { id: string; dir: string };
  /** Started again on the learner's files after a stop: the lab is not copied or broken again in them. */
  resumed?: true;
}

/**
 * What a session's scenario is resolved from: the file it started from while that file is
 * there, else its course-qualified id (the course folder moved), else its id.
 */
export function scenarioRefOf(file: Pick<SessionFile, 'scenarioId' | 'scenarioFile' | 'course'>): string {
  if (file.scenarioFile && existsSync(file.scenarioFile)) return file.scenarioFile;
  return file.course ? `${file.course.id}/${file.scenarioId}` : file.scenarioId;
}

export const stateDir = (workspace: string) => path.join(workspace, STATE_DIR);
const sessionPath = (workspace: string) => path.join(stateDir(workspace), 'session.json');

export function hasSession(workspace: string): boolean {
  return existsSync(sessionPath(workspace));
}

export async function readSessionFile(workspace: string): Promise<SessionFile> {
  let text: string;
  try {
    text = await readFile(sessionPath(workspace), 'utf8');
  } catch {
    throw workspaceError(
      `${workspace} holds no breakfix session`,
      'start one with `breakfix start <scenario>`',
      'no-session',
    );
  }
  try {
    const file = JSON.parse(text) as SessionFile;
    if (file.format !== 1 || typeof file.sessionId !== 'string') throw new Error('unknown format');
    return file;
  } catch (error) {
    throw workspaceError(
      `${sessionPath(workspace)} is damaged (${(error as Error).message})`,
      'run `breakfix stop` then start the scenario again',
    );
  }
}

export async function writeSessionFile(workspace: string, file: SessionFile): Promise<void> {
  await writeStateFile(sessionPath(workspace), JSON.stringify(file, null, 2));
}

/** The nearest folder at or above `start` that holds `.breakfix/session.json`. */
export function findWorkspace(start: string = process.cwd()): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(sessionPath(dir))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Appends one event; the TUI or `watch` in another terminal tails this file. */
export async function appendEventLine(workspace: string, event: object): Promise<void> {
  await mkdir(stateDir(workspace), { recursive: true });
  const file = path.join(stateDir(workspace), 'events.jsonl');
  const size = await stat(file).then(
    (info) => info.size,
    () => 0,
  );
  // A long session must not grow without bound: keep the most recent half.
  if (size > 2 * 1024 * 1024) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, lines.slice(Math.floor(lines.length / 2)).join('\n'));
  }
  await appendFile(file, `${JSON.stringify(event)}\n`);
}
