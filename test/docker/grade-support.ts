/**
 * Submissions for the grading and server tests, built the way a learner's workspace looks:
 * the notes-api lab as `breakfix start` copies it, with the scenario's fault in it (broken) or
 * the scenario's solution over it (fixed). Plus running the built CLI and finding what it left.
 */
import { spawn } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { labsDir, packageRoot, scenariosDir } from '../../engine/paths.js';
import { connectRuntime, LABELS } from '../../engine/runtime/index.js';
import { LAB_PRIVATE_ENTRIES } from '../../engine/session/steps.js';

export const BIN = path.join(packageRoot, 'bin', 'breakfix');

/** The notes-api lab as a session workspace holds it (instructor-only entries left out). */
export async function labWorkspace(dir: string): Promise<string> {
  const source = path.join(labsDir, 'notes-api');
  const privateEntries = new Set(LAB_PRIVATE_ENTRIES.map((name) => path.join(source, name)));
  await cp(source, dir, { recursive: true, filter: (entry) => !privateEntries.has(entry) });
  return dir;
}

/** wrong-port: the fault sets API_PORT in .env to another port; the solution sets it back. */
export async function wrongPortWorkspace(dir: string, kind: 'fixed' | 'broken', port = 5000): Promise<string> {
  await labWorkspace(dir);
  if (kind === 'broken') await writeFile(path.join(dir, '.env'), `API_PORT=${port}\n`);
  else await cp(path.join(scenariosDir, 'wrong-port', 'solution'), dir, { recursive: true });
  return dir;
}

/** missing-env-var: the fault removes a DATABASE_* variable from the api's environment; fixed is the lab as shipped. */
export async function missingEnvWorkspace(dir: string, kind: 'fixed' | 'broken'): Promise<string> {
  await labWorkspace(dir);
  if (kind === 'broken') {
    const file = path.join(dir, 'compose.yaml');
    const compose = await readFile(file, 'utf8');
    const anchor = '      PORT: "${API_PORT:-8080}"\n      DATABASE_HOST: db\n';
    if (!compose.includes(anchor))
      throw new Error(
        'labs/notes-api/compose.yaml changed: the api environment no longer starts with PORT then DATABASE_HOST; update test/docker/grade-support.ts',
      );
    await writeFile(file, compose.replace(anchor, '      PORT: "${API_PORT:-8080}"\n'));
  }
  return dir;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs bin/breakfix (the built CLI) to completion. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, {
      cwd: options.cwd ?? packageRoot,
      env: { ...process.env, TESTCONTAINERS_RYUK_DISABLED: 'true', NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

/** For assertion messages: the exit code and the last lines of stderr. */
export function explain(run: CliRun): string {
  return `exit ${run.code}; stderr ends:\n${run.stderr.trim().split('\n').slice(-8).join('\n')}`;
}

/** The lab session a `grade` run used, from its progress line `grade: lab session <id>`. */
export function gradeSessionOf(stderr: string): string {
  const match = /^grade: lab session ([a-z0-9]+)$/m.exec(stderr);
  if (!match) throw new Error(`no "grade: lab session" line in:\n${stderr.slice(0, 2000)}`);
  return match[1]!;
}

/** Everything Docker still holds with `breakfix.session=<id>` (containers, networks, volumes, images). */
export async function labelledBy(session: string): Promise<string[]> {
  const runtime = await connectRuntime();
  return (await runtime.listLabelled(LABELS.session, session)).map((resource) => `${resource.kind} ${resource.name}`);
}
