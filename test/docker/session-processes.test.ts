/**
 * A session lives in its workspace and in Docker labels, not in a process: it is started by one
 * process, checked, applied and stopped by others; two processes cannot change it at once; and a
 * process killed in the middle of a deploy leaves only labelled resources that `gc` removes.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLabGarbage, startLabSession as startLab } from '../../engine/api.js';
import { scenariosDir } from '../../engine/paths.js';
import { connectRuntime, LABELS, type DockerRuntime } from '../../engine/runtime/index.js';

const child = fileURLToPath(new URL('../support/engine-process.mjs', import.meta.url));
const node = process.execPath;

interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], onSpawn?: (pid: number) => void): Promise<ChildResult> {
  return new Promise((resolve) => {
    const proc = spawn(node, [child, ...args], { env: { ...process.env, TESTCONTAINERS_RYUK_DISABLED: 'true' } });
    if (proc.pid !== undefined) onSpawn?.(proc.pid);
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 + 9 : 1), stdout, stderr }));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sessions across processes', () => {
  let runtime: DockerRuntime;
  let root: string;
  const sessions: string[] = [];

  beforeAll(async () => {
    runtime = await connectRuntime();
    root = await mkdtemp(path.join(os.tmpdir(), 'bf-processes-'));
  });

  afterAll(async () => {
    for (const session of sessions)
      for (const resource of await runtime.listLabelled(LABELS.session, session))
        await runtime.removeResource(resource);
    await rm(root, { recursive: true, force: true });
  });

  it('is started by one process, then checked, applied and stopped by others; concurrent changes are refused', async () => {
    const workspace = path.join(root, 'wp');
    const started = await run(['start', 'wrong-port', workspace, '3']);
    expect(started.stderr).toBe('');
    const { sessionId, state } = JSON.parse(started.stdout) as { sessionId: string; state: string };
    sessions.push(sessionId);
    expect(state).toBe('active');

    const broken = JSON.parse((await run(['send', workspace, 'CHECK'])).stdout) as {
      report: { passed: boolean; score: number };
    };
    expect(broken.report.passed).toBe(false);

    await copyFile(path.join(scenariosDir, 'wrong-port', 'solution', '.env'), path.join(workspace, '.env'));
    // Two applies at once: the lock lets one through and refuses the other with a clear reason.
    const [first, second] = await Promise.all([
      run(['send', workspace, 'APPLY']),
      sleep(150).then(() => run(['send', workspace, 'APPLY'])),
    ]);
    const outcomes = [first, second].map((result) => result.code).sort();
    expect(outcomes).toEqual([0, 2]);
    expect([first, second].find((result) => result.code === 2)?.stderr).toMatch(/session is busy: applying/);

    const fixed = JSON.parse((await run(['send', workspace, 'CHECK'])).stdout) as {
      state: string;
      report: { passed: boolean };
    };
    expect(fixed.report.passed).toBe(true);
    expect(fixed.state).toBe('passed');

    const stopped = JSON.parse((await run(['send', workspace, 'STOP'])).stdout) as { state: string };
    expect(stopped.state).toBe('stopped');
    expect(await runtime.listLabelled(LABELS.session, sessionId)).toEqual([]);
  });

  it('leaves only labelled resources when its process is killed mid-deploy, and gc removes them', async () => {
    const workspace = path.join(root, 'killed');
    let pid = 0;
    const running = run(['start', 'missing-env-var', workspace, '5'], (spawned) => (pid = spawned));
    // Wait until the deploy has begun creating containers, then kill -9: no cleanup code runs.
    let sessionId = '';
    for (let waited = 0; waited < 120_000; waited += 100) {
      const file = await readFile(path.join(workspace, '.breakfix', 'session.json'), 'utf8').then(
        (text) => JSON.parse(text) as { sessionId: string; progress?: { state: string } },
        () => undefined,
      );
      if (
        file?.progress?.state === 'deploying' &&
        (await runtime.listLabelled(LABELS.session, file.sessionId)).some((resource) => resource.kind === 'container')
      ) {
        sessionId = file.sessionId;
        break;
      }
      await sleep(100);
    }
    expect(sessionId).not.toBe('');
    sessions.push(sessionId);
    process.kill(pid, 'SIGKILL');
    await running;
    expect((await runtime.listLabelled(LABELS.session, sessionId)).length).toBeGreaterThan(0);

    const report = await collectLabGarbage({ runtime });
    expect(report.removed.some((resource) => resource.session === sessionId)).toBe(true);
    expect(report.kept.some((entry) => entry.session === sessionId)).toBe(false);
    expect(await runtime.listLabelled(LABELS.session, sessionId)).toEqual([]);
  });

  it('tears down what it created when interrupted during the deploy (Ctrl-C)', async () => {
    const workspace = path.join(root, 'interrupted');
    const controller = new AbortController();
    let sessionId = '';
    const result = await startLab({
      scenario: 'missing-env-var',
      workspace,
      seed: 2,
      runtime,
      signal: controller.signal,
      onNotice: (notice) => {
        if (notice.type === 'state') sessionId = notice.context.sessionId;
        if (notice.type === 'progress' && notice.progress.phase === 'service' && notice.progress.status === 'starting')
          controller.abort();
      },
    });
    sessions.push(sessionId);
    expect(result.state).toBe('stopped');
    expect(await runtime.listLabelled(LABELS.session, result.sessionId)).toEqual([]);
  });
});
