/**
 * Honest grading on real labs, through the built CLI as a learner or a grader runs it:
 *
 * - a probe puts the lab back when its check fails, when `check` is interrupted (SIGINT) in
 *   the middle of the probe, and — killed with SIGKILL — `breakfix gc` puts it back;
 * - a fix made by hand in the running lab (`docker exec … psql`) passes every live check and
 *   still fails `check`: the workspace deployed afresh does not have it;
 * - a submission that makes a re-created runtime fault impossible grades exit 1 with a reason,
 *   not exit 2.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'breakfix');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bf-honest-'));
const env = { ...process.env, NO_COLOR: '1' };

function breakfix(args: string[], timeout = 300_000) {
  const result = spawnSync(bin, args, { cwd: scratch, encoding: 'utf8', env, timeout });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function sessionOf(workspace: string): string {
  return (JSON.parse(readFileSync(path.join(workspace, '.breakfix', 'session.json'), 'utf8')) as { sessionId: string })
    .sessionId;
}

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

const stateOf = (container: string) => docker('inspect', '-f', '{{.State.Status}}', container);
const pendingRestore = (workspace: string) => path.join(workspace, '.breakfix', 'pending-restore.json');

/** Sets a key of the workspace's compose.yaml, as a learner editing it would. */
function setCompose(workspace: string, keyPath: string[], value: unknown): void {
  const file = path.join(workspace, 'compose.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.setIn(keyPath, value);
  writeFileSync(file, doc.toString());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

const workspaces: string[] = [];
afterAll(() => {
  for (const workspace of workspaces)
    if (existsSync(path.join(workspace, '.breakfix', 'session.json')))
      spawnSync(bin, ['stop', '--workspace', workspace], { encoding: 'utf8', timeout: 120_000 });
  rmSync(scratch, { recursive: true, force: true });
});

function startLab(scenario: string, name: string): string {
  const workspace = path.join(scratch, name);
  workspaces.push(workspace);
  const start = breakfix(['start', scenario, '--workspace', workspace, '--seed', '3', '--detach']);
  expect(start.code, start.stderr).toBe(0);
  return workspace;
}

const HEALTHY_PROBE = ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8080/health'];

describe('probes put the lab back (healthcheck-wrong-path, whose probe stops the database)', () => {
  it('after a probe that fails, after SIGINT in the middle of one, and via gc after SIGKILL', async () => {
    const workspace = startLab('healthcheck-wrong-path', 'probe');
    const db = `bf-${sessionOf(workspace)}-db`;

    // A health check that can never fail: the probe stops db, waits in vain, and starts db again.
    setCompose(
      workspace,
      ['services', 'api', 'healthcheck', 'test'],
      ['CMD-SHELL', 'curl -fsS http://127.0.0.1:8080/health || exit 0'],
    );
    expect(breakfix(['apply', '--workspace', workspace]).code).toBe(0);
    const failing = breakfix(['check', '--workspace', workspace, '--json']);
    expect(failing.code, failing.stderr).toBe(1);
    const report = JSON.parse(failing.stdout) as { checks: Array<{ id: string; passed: boolean; message: string }> };
    const probe = report.checks.find((check) => check.id === 'detects-database-outage');
    expect(probe?.passed).toBe(false);
    expect(probe?.message).toMatch(/after stopped db/);
    expect(stateOf(db)).toBe('running');
    expect(existsSync(pendingRestore(workspace))).toBe(false);

    // The real fix; interrupted while the database is stopped, the probe restores it.
    setCompose(workspace, ['services', 'api', 'healthcheck', 'test'], HEALTHY_PROBE);
    expect(breakfix(['apply', '--workspace', workspace]).code).toBe(0);
    const interrupted = spawn(bin, ['check', '--workspace', workspace], { cwd: scratch, env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => interrupted.on('exit', (code) => resolve(code)));
    await until('the probe to stop db', () => stateOf(db) === 'exited', 60_000);
    interrupted.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stateOf(db)).toBe('running');
    expect(existsSync(pendingRestore(workspace))).toBe(false);

    // Killed outright, nothing in the process can restore: the record stays, and gc acts on it.
    const killed = spawn(bin, ['check', '--workspace', workspace], { cwd: scratch, env, stdio: 'ignore' });
    const gone = new Promise<void>((resolve) => killed.on('exit', () => resolve()));
    await until('the probe to stop db again', () => stateOf(db) === 'exited', 60_000);
    killed.kill('SIGKILL');
    await gone;
    expect(existsSync(pendingRestore(workspace))).toBe(true);
    expect(stateOf(db)).toBe('exited');
    const gc = breakfix(['gc', '--json']);
    expect(gc.code, gc.stderr).toBe(0);
    const collected = JSON.parse(gc.stdout) as { restored: Array<{ session: string; check: string }> };
    expect(collected.restored).toContainEqual(
      expect.objectContaining({ session: sessionOf(workspace), check: 'detects-database-outage' }),
    );
    expect(stateOf(db)).toBe('running');
    expect(existsSync(pendingRestore(workspace))).toBe(false);

    // And the lab is whole: the next check passes all of it, the durability proof included.
    const passing = breakfix(['check', '--workspace', workspace, '--json']);
    expect(passing.code, passing.stdout).toBe(0);
  }, 600_000);
});

describe('durable fixes only', () => {
  it('a schema fixed by hand with docker exec psql passes the live checks and fails check', () => {
    const workspace = startLab('rollback-schema-change', 'by-hand');
    const repair = readFileSync(
      path.join(root, 'scenarios', 'rollback-schema-change', 'solution', 'migrations', '004_restore_notes_body.sql'),
      'utf8',
    );
    // The learner repairs the running database by hand, records nothing in the workspace…
    execFileSync(
      'docker',
      ['exec', '-i', `bf-${sessionOf(workspace)}-db`, 'psql', '-U', 'notes', '-d', 'notes', '-v', 'ON_ERROR_STOP=1'],
      {
        input: repair,
        encoding: 'utf8',
      },
    );
    // …and rolls back: 1.4.0 now runs happily on the hand-made schema.
    expect(breakfix(['rollback', '--workspace', workspace]).code).toBe(0);
    const check = breakfix(['check', '--workspace', workspace, '--json']);
    expect(check.code, check.stdout).toBe(1);
    const report = JSON.parse(check.stdout) as {
      passed: boolean;
      checks: Array<{ id: string; passed: boolean; message: string }>;
    };
    expect(report.passed).toBe(false);
    const refused = report.checks.filter((entry) => !entry.passed);
    expect(refused.length).toBeGreaterThan(0);
    for (const entry of refused) expect(entry.message).toMatch(/not when your workspace is deployed afresh/);
  }, 400_000);
});

describe('a pinned host port is the learner’s choice, not a collision', () => {
  it('wrong-port fixed with a fixed host port passes check: the proof deployed afresh beside the lab lets Docker pick', async () => {
    const workspace = startLab('wrong-port', 'pinned');
    const port = await freePort();
    // The valid fix, plus what a learner who likes stable URLs adds: a host port of their own.
    writeFileSync(path.join(workspace, '.env'), '');
    setCompose(workspace, ['services', 'api', 'ports'], [`${port}:8080`]);
    expect(breakfix(['apply', '--workspace', workspace]).code).toBe(0);
    expect(docker('port', `bf-${sessionOf(workspace)}-api`, '8080/tcp')).toContain(`127.0.0.1:${port}`);
    // The durability proof deploys the same files into a second lab while this one holds the port.
    const check = breakfix(['check', '--workspace', workspace, '--json']);
    expect(check.code, check.stdout).toBe(0);
  }, 400_000);
});

describe('grade blames the submission for what it makes impossible', () => {
  it("a migration whose constraint refuses the scenario's SQL: exit 1 with the reason, not exit 2", () => {
    const workspace = path.join(scratch, 'submission');
    // The lab's files as the learner got them, plus a migration the scenario's SQL cannot live with.
    const start = breakfix(['start', 'rollback-schema-change', '--workspace', workspace, '--seed', '3', '--detach']);
    expect(start.code, start.stderr).toBe(0);
    expect(breakfix(['stop', '--workspace', workspace]).code).toBe(0);
    // The app keeps working; only the note the scenario writes as "a user on 2.0.0" is refused.
    writeFileSync(
      path.join(workspace, 'migrations', '004_no_incident_titles.sql'),
      "ALTER TABLE notes ADD CONSTRAINT no_incident_titles CHECK (title NOT LIKE 'Incident%') NOT VALID;\n",
    );
    const graded = breakfix(['grade', 'rollback-schema-change', '--workspace', workspace, '--reporter', 'json']);
    expect(graded.code, graded.stderr).toBe(1);
    const report = JSON.parse(graded.stdout) as { passed: boolean; checks: Array<{ message: string }> };
    expect(report.passed).toBe(false);
    expect(report.checks[0]?.message).toMatch(/the submission does not take a step the grading re-creates/);
  }, 400_000);
});
