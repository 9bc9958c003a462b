/**
 * Redeploys the way Compose does them, through the CLI on a real notes-api lab:
 * - a changed service is stopped with its stop signal and grace period, never SIGKILL: the
 *   recreated PostgreSQL starts without crash recovery, through an apply and a rollback;
 * - a service whose configuration did not change is kept across apply and rollback alike;
 * - `apply` exits 1 naming the service and the reason when a service does not reach its
 *   wanted state (a job exits non-zero, so its dependent is never started), and the session
 *   stays usable; `start` exits 0 on a lab that is broken on purpose;
 * - every command ends by itself (nothing left in its event loop, no process.exit()) within
 *   2 s of its last output: test/support/exit-probe.mjs watches each one.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'breakfix');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bf-stop-'));
const workspace = path.join(scratch, 'wp');
const probe = path.join(root, 'test', 'support', 'exit-probe.mjs');
let sessionId = '';
let probes = 0;

interface ExitReport {
  emptied: boolean;
  /** Null when the command printed nothing: then only `emptied` says something. */
  lastOutputAt: number | null;
  exitAt: number;
  lingering: unknown;
}

/** Runs bin/breakfix and checks that it ended by itself within 2 s of its last output. */
function run(args: string[]) {
  const report = path.join(scratch, `exit-${(probes += 1)}.json`);
  const env = {
    ...process.env,
    NO_COLOR: '1',
    BREAKFIX_EXIT_PROBE: report,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${probe}`.trim(),
  };
  const result = spawnSync(bin, args, { encoding: 'utf8', env, timeout: 240_000 });
  const exit = JSON.parse(readFileSync(report, 'utf8')) as ExitReport;
  const what = `breakfix ${args.join(' ')}`;
  expect(exit.emptied, `${what} did not end by itself`).toBe(true);
  if (exit.lastOutputAt !== null)
    expect(
      exit.exitAt - exit.lastOutputAt,
      `${what} lived on after its output: ${JSON.stringify(exit.lingering)}`,
    ).toBeLessThan(2_000);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const breakfix = (...args: string[]) => run([...args, '--workspace', workspace]);

/** `logs --follow` until its first line, then Ctrl-C: it must end at once, by itself. */
async function followThenInterrupt(service: string): Promise<number | null> {
  const report = path.join(scratch, 'exit-follow.json');
  const child = spawn(bin, ['logs', service, '--follow', '--workspace', workspace], {
    env: { ...process.env, NO_COLOR: '1', BREAKFIX_EXIT_PROBE: report, NODE_OPTIONS: `--import ${probe}` },
  });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  const exit = JSON.parse(readFileSync(report, 'utf8')) as ExitReport;
  expect(exit.emptied, 'logs --follow did not end by itself').toBe(true);
  expect(exit.exitAt - (exit.lastOutputAt ?? 0)).toBeLessThan(2_000);
  return code;
}

function json<T>(result: { stdout: string; stderr: string }): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`not JSON:\n${result.stdout}\n${result.stderr}`);
  }
}

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
const containerId = (service: string) => docker('inspect', '-f', '{{.Id}}', `bf-${sessionId}-${service}`);
const compose = () => readFileSync(path.join(workspace, 'compose.yaml'), 'utf8');
function edit(from: string, to: string): void {
  const text = compose();
  expect(text).toContain(from);
  writeFileSync(path.join(workspace, 'compose.yaml'), text.replace(from, to));
}

/** PostgreSQL says which kind of stop it came back from, in the first lines of its new log. */
function expectCleanStart(container: string): void {
  const logs = spawnSync('docker', ['logs', container], { encoding: 'utf8' });
  const all = logs.stdout + logs.stderr;
  expect(all).toMatch(/database system was shut down at/);
  expect(all).not.toMatch(/not properly shut down|automatic recovery in progress/);
}

afterAll(() => {
  if (sessionId) breakfix('stop');
  rmSync(scratch, { recursive: true, force: true });
});

describe('redeploys stop containers gracefully and report services that do not come up', () => {
  it('keeps unchanged services, stops changed ones with their signal, and exits 1 when a service fails', async () => {
    // Docker keeps only its last 256 events, and a shared engine makes many: listen from the start.
    const events = spawn('docker', [
      'events',
      '--filter',
      'event=kill',
      '--format',
      '{{.Actor.Attributes.name}} {{.Actor.Attributes.signal}}',
    ]);
    let killLines = '';
    events.stdout.on('data', (chunk: Buffer) => (killLines += chunk.toString()));
    // The api is unhealthy on purpose (wrong port): start confirms the symptoms and exits 0.
    const started = breakfix('start', 'wrong-port', '--seed', '1', '--json');
    expect(started.code, started.stderr).toBe(0);
    sessionId = json<{ sessionId: string }>(started).sessionId;

    // The fix: release 2 is healthy.
    copyFileSync(path.join(root, 'scenarios', 'wrong-port', 'solution', '.env'), path.join(workspace, '.env'));
    const fixed = breakfix('apply', '--json');
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);

    // A new api version and a changed database: both are recreated.
    edit('      POSTGRES_DB: notes\n', '      POSTGRES_DB: notes\n      TZ: UTC\n');
    edit(
      'image: notes-api:2.0.0\n    environment:\n      PORT',
      'image: notes-api:2.0.1\n    environment:\n      PORT',
    );
    const db1 = containerId('db');
    const applied = breakfix('apply', '--json');
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const db2 = containerId('db');
    expect(db2).not.toBe(db1);
    expectCleanStart(db2);

    // Back to release 2: the database's configuration differs again, so it is stopped cleanly again.
    const rolledBack = breakfix('rollback', '--json');
    expect(rolledBack.code, rolledBack.stdout + rolledBack.stderr).toBe(0);
    const db3 = containerId('db');
    expect(db3).not.toBe(db2);
    expectCleanStart(db3);

    // Only the api changes now: the database is kept across the apply and the rollback.
    edit('      TZ: UTC\n', '');
    expect(breakfix('apply', '--json').code).toBe(0);
    expect(containerId('db')).toBe(db3);
    const api = containerId('api');
    expect(breakfix('rollback', '--json').code).toBe(0);
    expect(containerId('db')).toBe(db3);
    expect(containerId('api')).not.toBe(api);

    // Nothing was SIGKILLed: every stop above was the service's own stop signal.
    // spawnSync blocked the event loop: read what the pipe holds before looking.
    await new Promise((resolve) => setTimeout(resolve, 500));
    events.kill();
    await new Promise((resolve) => events.on('close', resolve));
    const kills = killLines.split('\n').filter((line) => line.startsWith(`bf-${sessionId}-`));
    expect(kills.length).toBeGreaterThan(0);
    expect(kills.filter((line) => / 9$/.test(line))).toEqual([]);
    expect(kills).toContain(`bf-${sessionId}-db 2`);

    // A migration that fails: apply exits 1 and says which service, and why.
    edit('command: ["python3", "-m", "app.migrate"]', 'command: ["python3", "-c", "raise SystemExit(3)"]');
    const broken = breakfix('apply', '--json');
    expect(broken.code, broken.stdout + broken.stderr).toBe(1);
    const failure = json<{ ok: boolean; failure: string; kind: string }>(broken);
    expect(failure.ok).toBe(false);
    expect(failure.kind).toBe('workspace');
    expect(failure.failure).toMatch(/migrate exited with code 3/);
    expect(failure.failure).toMatch(/api was not started \(dependency failed: migrate exited with code 3\)/);
    const text = breakfix('apply');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/✗ apply failed: release \d+ is deployed, but not every service is up: migrate/);

    // The session is still usable: it reports the lab, and the fixed file deploys.
    const status = breakfix('status', '--json');
    expect(status.code).toBe(0);
    expect(json<{ state: string }>(status).state).toBe('active');
    expect(breakfix('logs', 'db').stdout).toMatch(/database system is ready/);
    expect(await followThenInterrupt('db')).toBe(0);
    edit('command: ["python3", "-c", "raise SystemExit(3)"]', 'command: ["python3", "-m", "app.migrate"]');
    const repaired = breakfix('apply', '--json');
    expect(repaired.code, repaired.stdout).toBe(0);
    expect(json<{ ok: boolean }>(repaired).ok).toBe(true);

    expect(breakfix('stop').code).toBe(0);
    expect(docker('ps', '-aq', '--filter', `label=breakfix.session=${sessionId}`)).toBe('');
    sessionId = '';
    expect(run(['gc', '--json']).code).toBe(0);
  }, 420_000);

  it('verify ends as soon as it has printed its result', () => {
    const verified = run(['verify', 'missing-env-var', '--json']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(json<{ ok: boolean }>(verified).ok).toBe(true);
  }, 300_000);
});
