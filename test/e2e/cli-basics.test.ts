/**
 * The built CLI as a learner first meets it, outside any lab: `list`, `--help`, `validate`, and
 * the one-line errors with a next step (exit 2) for the mistakes newcomers make.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'breakfix');
const outside = mkdtempSync(path.join(os.tmpdir(), 'bf-outside-'));

function breakfix(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(bin, args, {
    cwd: options.cwd ?? outside,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The contract's usage/environment error: exit 2, one line on stderr, with a next step. */
function expectOneLineError(result: ReturnType<typeof breakfix>, reason: RegExp, next: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^breakfix: /);
  expect(lines[0]).toMatch(reason);
  expect(lines[0]).toMatch(next);
}

afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('breakfix list', () => {
  it("prints the scenarios in the built-in course's order, as a table and as the contract JSON", () => {
    // A learner with no progress yet: earlier tests of the run may have solved labs.
    const env = { XDG_STATE_HOME: path.join(outside, 'no-progress') };
    const text = breakfix(['list'], { env });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^wrong-port\s+beginner\s+/m);
    const json = breakfix(['list', '--json'], { env });
    expect(json.code).toBe(0);
    const scenarios = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(scenarios.length).toBeGreaterThanOrEqual(8);
    // The contract's keys, plus the course, what to type, the module, and the learner's progress
    // (`solved`; `bestScore`/`maxScore` once checked).
    for (const scenario of scenarios)
      expect(Object.keys(scenario).sort()).toEqual([
        'course',
        'difficulty',
        'id',
        'module',
        'ref',
        'solved',
        'tags',
        'title',
      ]);
    expect(scenarios.map((scenario) => scenario.id)).toEqual(
      expect.arrayContaining([
        'missing-env-var',
        'secret-not-mounted',
        'wrong-port',
        'healthcheck-wrong-path',
        'stale-image-tag',
        'migration-not-applied',
        'logs-not-collected',
        'rollback-schema-change',
      ]),
    );
    // The order of breakfix-course.yaml's modules: what a learner follows by default.
    const order = [
      ...readFileSync(path.join(root, 'breakfix-course.yaml'), 'utf8').matchAll(/scenarios: \[([^\]]*)\]/g),
    ]
      .flatMap((match) => (match[1] ?? '').split(','))
      .map((id) => id.trim());
    expect(scenarios.map((scenario) => scenario.id)).toEqual(order);
  });
});

describe('breakfix --help', () => {
  it('lists every learner command', () => {
    const result = breakfix(['--help']);
    expect(result.code).toBe(0);
    for (const name of [
      'list',
      'start',
      'status',
      'check',
      'apply',
      'rollback',
      'hint',
      'reset',
      'stop',
      'watch',
      'logs',
      'verify',
      'gc',
    ])
      expect(result.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });
});

describe('validate', () => {
  it('accepts the shipped scenarios', () => {
    const result = breakfix(['validate'], { cwd: root });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/scenario files? valid/);
  });
});

describe('errors a newcomer meets, each one line with the next step (exit 2)', () => {
  for (const command of ['status', 'check', 'apply', 'rollback', 'hint', 'reset', 'stop', 'watch']) {
    it(`${command} outside a workspace`, () => {
      expectOneLineError(
        breakfix([command]),
        /not inside a breakfix workspace/,
        /breakfix start <scenario>|--workspace/,
      );
    });
  }

  it('logs outside a workspace', () => {
    expectOneLineError(breakfix(['logs', 'api']), /not inside a breakfix workspace/, /--workspace/);
  });

  it('--workspace naming a folder without a session', () => {
    expectOneLineError(breakfix(['status', '--workspace', outside]), /holds no breakfix session/, /breakfix start/);
  });

  it('an unknown scenario gets the closest name', () => {
    expectOneLineError(
      breakfix(['start', 'wrong-prot', '--detach']),
      /unknown scenario wrong-prot; did you mean wrong-port\?/,
      /breakfix list/,
    );
  });

  it('Docker unreachable says to run doctor --fix', () => {
    const result = breakfix(['start', 'wrong-port', '--detach', '--workspace', path.join(outside, 'ws')], {
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expectOneLineError(result, /Docker is not reachable/, /breakfix doctor --fix/);
  });

  it('a bad --seed and a missing argument are usage errors', () => {
    const seed = breakfix(['start', 'wrong-port', '--seed', 'abc']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain("option '--seed <n>' argument 'abc' is invalid");
    const missing = breakfix(['logs']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'service'");
  });

  it('serve refuses a wrong BREAKFIX_DEPLOYS_AT_ONCE before it listens, and says what to set', () => {
    const result = breakfix(['serve', '--port', '0'], {
      env: { BREAKFIX_DEPLOYS_AT_ONCE: 'many', BREAKFIX_TOKEN: 't' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /BREAKFIX_DEPLOYS_AT_ONCE must be a whole number of at least 1, got "many" \(unset it/,
    );
    expect(result.stderr).not.toContain('listening on');
  });

  it('verify needs scenario ids or --all', () => {
    const result = breakfix(['verify']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('name the scenarios to verify, or pass --all');
  });
});

describe('a closed pipe', () => {
  it('`breakfix schema | head -1` prints one line; breakfix ends quietly, as SIGPIPE would', async () => {
    const child = spawn(bin, ['schema'], { cwd: outside, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // `head -1`: read up to the first line, then close the pipe.
    const first = await new Promise<string>((resolve) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) {
          child.stdout.destroy();
          resolve(text.split('\n')[0] ?? '');
        }
      });
    });
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    expect(first).toBe('{');
    expect(stderr).toBe('');
    expect(ended.signal === 'SIGPIPE' || ended.code === 141, JSON.stringify(ended)).toBe(true);
  });

  it('in a shell pipeline: one line out, nothing on stderr', () => {
    const result = spawnSync('bash', ['-c', '"$0" schema | head -1', bin], { cwd: outside, encoding: 'utf8' });
    expect(result.stdout).toBe('{\n');
    expect(result.stderr).toBe('');
  });
});
