/**
 * The plain CLI on a real lab (no TTY: the way scripts, CI and `--detach` use it): start prints
 * progress then the lab, check/hint/status/logs/apply keep the contract's exit codes and JSON,
 * `watch` re-applies and re-checks on save, Ctrl-C during start removes the lab (exit 130),
 * and stop leaves nothing labelled with the session.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'breakfix');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bf-cli-'));
// This file's own progress store: what `progress` and `breakfix` show comes from these labs only.
const env = { ...process.env, NO_COLOR: '1', XDG_STATE_HOME: path.join(scratch, 'state') };

function breakfix(args: string[], cwd = scratch) {
  const result = spawnSync(bin, args, { cwd, encoding: 'utf8', env, timeout: 240_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function sessionOf(workspace: string): string {
  return (JSON.parse(readFileSync(path.join(workspace, '.breakfix', 'session.json'), 'utf8')) as { sessionId: string })
    .sessionId;
}

function labelled(session: string): string[] {
  const filter = `label=breakfix.session=${session}`;
  const list = (...args: string[]) =>
    execFileSync('docker', args, { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '');
  return [
    ...list('ps', '-a', '--filter', filter, '--format', '{{.Names}}'),
    ...list('network', 'ls', '--filter', filter, '--format', '{{.Name}}'),
    ...list('volume', 'ls', '--filter', filter, '--format', '{{.Name}}'),
    ...list('images', '--filter', filter, '--format', '{{.Repository}}'),
  ];
}

/** A long-running command whose output the test waits on. */
function background(args: string[], cwd: string) {
  const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (expected: RegExp, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (expected.test(output)) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`timed out waiting for ${expected}; output so far:\n${output}`);
  };
  return { child, exited, waitFor, output: () => output };
}

const workspaces: string[] = [];
afterAll(() => {
  for (const workspace of workspaces)
    if (existsSync(path.join(workspace, '.breakfix', 'session.json')))
      spawnSync(bin, ['stop', '--workspace', workspace], { encoding: 'utf8', timeout: 120_000 });
  rmSync(scratch, { recursive: true, force: true });
});

describe('a learner fixing wrong-port with plain commands', () => {
  it('start --json, check (1), hint, status, logs, fix + apply, check (0), stop: nothing left', () => {
    const workspace = path.join(scratch, 'json');
    workspaces.push(workspace);
    const start = breakfix(['start', 'wrong-port', '--workspace', workspace, '--seed', '5', '--json']);
    expect(start.code, start.stderr).toBe(0);
    const started = JSON.parse(start.stdout) as {
      workspace: string;
      sessionId: string;
      seed: number;
      state: string;
      services: Array<{ name: string; health: string }>;
      ports: Array<{ service: string; host: string; port: number; container: number }>;
    };
    expect(started).toMatchObject({ workspace, seed: 5, state: 'active' });
    expect(started.sessionId).toBe(sessionOf(workspace));
    expect(started.services.find((entry) => entry.name === 'api')?.health).toBe('unhealthy');
    expect(started.ports).toEqual([
      { service: 'api', host: '127.0.0.1', port: expect.any(Number), container: 8080, protocol: 'tcp' },
    ]);
    // Progress went to stderr, so stdout held the JSON document alone.
    expect(start.stderr).toContain('→ deploying the lab');

    const failing = breakfix(['check', '--json'], workspace);
    expect(failing.code).toBe(1);
    const report = JSON.parse(failing.stdout) as {
      scenario: string;
      passed: boolean;
      score: number;
      maxScore: number;
      checks: Array<Record<string, unknown>>;
    };
    expect(report).toMatchObject({ scenario: 'wrong-port', passed: false, maxScore: 100 });
    for (const entry of report.checks)
      expect(Object.keys(entry)).toEqual(expect.arrayContaining(['id', 'passed', 'errored', 'points', 'message']));

    const hint = breakfix(['hint'], workspace);
    expect(hint.code).toBe(0);
    expect(hint.stdout).toMatch(/new 1\. What port does the app say it listens on\?/);

    const status = breakfix(['status'], workspace);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/✗ api\s+running unhealthy/);
    expect(status.stdout).toContain('1 of 2 revealed');

    const logs = breakfix(['logs', 'api', '--tail', '20'], workspace);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('"listening"');

    cpSync(path.join(root, 'scenarios', 'wrong-port', 'solution'), workspace, { recursive: true });
    const apply = breakfix(['apply'], workspace);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain('✓ release 2 is running');
    // The api was recreated with the fix, and still answers on the host port the learner was using.
    const after = JSON.parse(breakfix(['status', '--json'], workspace).stdout) as {
      services: Array<{ name: string; ports: Array<{ container: number; host: number }> }>;
    };
    expect(after.services.find((service) => service.name === 'api')?.ports).toEqual([
      expect.objectContaining({ container: 8080, host: started.ports[0]?.port }),
    ]);

    const passing = breakfix(['check'], workspace);
    expect(passing.code, passing.stdout).toBe(0);
    // wrong-port counts help openly: `score` stays 100, the hint revealed above costs 5 of finalScore.
    expect(passing.stdout).toContain('4 of 4 checks pass · 100/100 −5 for 1 hint = 95 — solved');
    expect(passing.stdout).toContain('Debrief');
    // The learner's own timeline, and the course's next unsolved scenario with its command.
    expect(passing.stdout).toMatch(/What you did[\s\S]*apply[\s\S]*check/);
    expect(passing.stdout).toMatch(
      /next {2}healthcheck-wrong-path \(intermediate\)[^\n]*\n\s+breakfix start healthcheck-wrong-path/,
    );

    // Progress remembers the solve, with its score; `list` marks it; `breakfix` says what comes next.
    const progress = breakfix(['progress', '--json']);
    expect(progress.code, progress.stderr).toBe(0);
    const journey = JSON.parse(progress.stdout) as {
      course: { id: string };
      solved: number;
      scenarios: Array<{ id: string; solved: boolean; bestScore?: number; checkRounds: number; hintsUsed: number }>;
      next?: { id: string; command: string };
    };
    expect(journey.course.id).toBe('breakfix');
    expect(journey.solved).toBe(1);
    expect(journey.scenarios.find((entry) => entry.id === 'wrong-port')).toMatchObject({
      solved: true,
      bestScore: 100,
      maxScore: 100,
      checkRounds: 2,
      hintsUsed: 1,
      bestFinalScore: 95,
    });
    expect(journey.next).toMatchObject({ id: 'missing-env-var', command: 'breakfix start missing-env-var' });
    expect(breakfix(['list']).stdout).toMatch(/✓ wrong-port\s.*100\/100/);
    const home = breakfix([]);
    expect(home.code, home.stderr).toBe(0);
    expect(home.stdout).toMatch(/1 of \d+ solved/);
    expect(home.stdout).toMatch(/next {2}missing-env-var \(beginner\)[^\n]*\n\s+breakfix start missing-env-var/);

    // Releases a learner can follow: the list, a rollback that names its target and says the
    // workspace files no longer match what runs, and the host port kept across it.
    const releases = breakfix(['releases'], workspace);
    expect(releases.code, releases.stderr).toBe(0);
    expect(releases.stdout).toMatch(/^ {2}1 .* deploy +notes-api:2\.0\.0 /m);
    expect(releases.stdout).toMatch(/^▶ 2 .* apply +notes-api:2\.0\.0 +api: environment PORT/m);
    const nothingOlder = breakfix(['rollback'], workspace);
    expect(nothingOlder.code).toBe(2);
    expect(nothingOlder.stdout).toMatch(/no earlier version to roll back to: release 2 runs notes-api:2\.0\.0/);
    expect(nothingOlder.stdout).toContain('breakfix rollback --to N');
    const rollback = breakfix(['rollback', '--to', '1'], workspace);
    expect(rollback.stdout + rollback.stderr).toContain('→ rolling back to release 1 (notes-api:2.0.0)');
    expect(rollback.stdout).toContain('your workspace files are not what runs now');
    const rolled = JSON.parse(breakfix(['releases', '--json'], workspace).stdout) as {
      running: number;
      workspaceMatches: boolean;
      releases: Array<{ number: number; restores?: number }>;
    };
    expect(rolled).toMatchObject({ running: 1, workspaceMatches: false });
    expect(rolled.releases.at(-1)).toMatchObject({ number: 3, restores: 1 });
    const afterRollback = JSON.parse(breakfix(['status', '--json'], workspace).stdout) as typeof after;
    expect(afterRollback.services.find((service) => service.name === 'api')?.ports[0]?.host).toBe(
      started.ports[0]?.port,
    );

    const stop = breakfix(['stop', '--json'], workspace);
    expect(stop.code).toBe(0);
    expect(JSON.parse(stop.stdout)).toMatchObject({
      state: 'stopped',
      sessionId: started.sessionId,
      alreadyStopped: false,
    });
    expect(labelled(started.sessionId)).toEqual([]);
    expect(breakfix(['stop'], workspace).stdout).toContain('the lab was already stopped');

    // `start` in the stopped workspace resumes: the recorded seed and session, the learner's files.
    const fixedEnv = readFileSync(path.join(workspace, '.env'), 'utf8');
    const again = breakfix(['start', 'wrong-port', '--workspace', workspace, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(
      /resuming on your files in .* \(seed 5\); `breakfix start wrong-port --fresh` starts over/,
    );
    expect(JSON.parse(again.stdout)).toMatchObject({
      sessionId: started.sessionId,
      seed: 5,
      resumed: true,
      state: 'active',
    });
    expect(readFileSync(path.join(workspace, '.env'), 'utf8')).toBe(fixedEnv);
    expect(existsSync(path.join(workspace, '.breakfix', 'backups'))).toBe(false);
    const otherSeed = breakfix(['start', 'wrong-port', '--workspace', workspace, '--seed', '9']);
    expect(otherSeed.code).toBe(2);
    expect(otherSeed.stderr).toContain('breakfix: ');
    expect(breakfix(['stop'], workspace).code).toBe(0);
    expect(labelled(started.sessionId)).toEqual([]);
  });

  it('start --detach prints progress, the briefing, ports and next steps; watch re-applies on save', async () => {
    const workspace = path.join(scratch, 'plain');
    workspaces.push(workspace);
    const start = breakfix(['start', 'wrong-port', '--workspace', workspace, '--seed', '6', '--detach']);
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/^starting wrong-port \(seed 6\) in /m);
    expect(start.stdout).toContain('→ building images');
    expect(start.stdout).toContain('✓ symptom 1 observed');
    expect(start.stdout).toContain('The lab is up, and something is wrong.');
    expect(start.stdout).toMatch(/Briefing\n {2}This morning's deploy of notes-api/);
    expect(start.stdout).toMatch(/api {2}127\.0\.0\.1:\d+→8080/);
    expect(start.stdout).toContain(`cd ${workspace}`);
    expect(start.stdout).toMatch(/breakfix check\s+grade the lab/);
    // The fault is never named: the learner has to find it.
    expect(start.stdout).not.toMatch(/API_PORT/);

    // A misspelt key: `apply` refuses with a located reason (file:line:col) …
    const composeFile = path.join(workspace, 'compose.yaml');
    const good = readFileSync(composeFile, 'utf8');
    const bad = good.replace(
      /\n( +)restart: unless-stopped\n(?![\s\S]*restart: unless-stopped)/,
      '\n$1restrat: unless-stopped\n',
    );
    expect(bad).not.toBe(good);
    writeFileSync(composeFile, bad);
    const refused = breakfix(['apply'], workspace);
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    const located = /compose\.yaml:\d+:\d+: [^\n]*restrat[^\n]*/.exec(refused.stdout + refused.stderr)?.[0];
    expect(located, refused.stdout + refused.stderr).toBeDefined();
    writeFileSync(composeFile, good);

    const watch = background(['watch'], workspace);
    try {
      await watch.waitFor(/watching .*: save a file/, 30_000);
      // … and `watch` shows the very same reason when that file is saved.
      writeFileSync(composeFile, bad);
      await watch.waitFor(/apply failed/, 60_000);
      await watch.waitFor(new RegExp(String(located).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 10_000);
      writeFileSync(composeFile, good);
      cpSync(path.join(root, 'scenarios', 'wrong-port', 'solution'), workspace, { recursive: true });
      await watch.waitFor(/4 of 4 checks pass · 100\/100 — solved[\s\S]*Debrief[\s\S]*still watching/, 180_000);
      expect(watch.output()).toMatch(/\.env changed/);
      expect(watch.output()).toContain('✓ applied: release 2');
      expect(watch.output()).toContain('Debrief');
    } finally {
      watch.child.kill('SIGINT');
    }
    expect(await watch.exited).toBe(0);
    expect(watch.output()).toContain('stopped watching; the lab keeps running');

    const session = sessionOf(workspace);
    expect(labelled(session).length).toBeGreaterThan(0);
    expect(breakfix(['stop'], workspace).code).toBe(0);
    expect(labelled(session)).toEqual([]);
  });

  it('start --fresh moves the files to a named backup; Ctrl-C while starting removes what was created (130)', async () => {
    // The stopped workspace of the first test, holding the learner's fix.
    const workspace = path.join(scratch, 'json');
    const fixedEnv = readFileSync(path.join(workspace, '.env'), 'utf8');
    const start = background(['start', 'wrong-port', '--workspace', workspace, '--fresh', '--detach'], scratch);
    await start.waitFor(/your files from the last run moved to \S+/, 60_000);
    const backup = /your files from the last run moved to (\S+)/.exec(start.output())?.[1] ?? '';
    expect(backup).toContain(path.join(workspace, '.breakfix', 'backups'));
    expect(readFileSync(path.join(backup, '.env'), 'utf8')).toBe(fixedEnv);
    await start.waitFor(/→ deploying the lab/, 180_000);
    const session = sessionOf(workspace);
    start.child.kill('SIGINT');
    expect(await start.exited).toBe(130);
    expect(start.output()).toContain('breakfix: interrupted; the lab was removed');
    expect(labelled(session)).toEqual([]);
  });
});
