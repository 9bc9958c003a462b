/**
 * `breakfix verify` as an instructor or CI runs it: the contract's JSON on stdout, progress on
 * stderr, exit 0 when the scenario is proven; a typo fails at once. (`gc` is not run for real
 * here: on a shared Docker Engine it would sweep other people's abandoned labs.)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'breakfix');

function breakfix(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(bin, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('breakfix verify', () => {
  it('proves wrong-port and prints {ok, scenarios:[{id, ok, symptomsObserved, solutionPassed, leaked, seconds}]}', () => {
    const result = breakfix(['verify', 'wrong-port', '--json']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; scenarios: Array<Record<string, unknown>> };
    expect(report.ok).toBe(true);
    expect(report.scenarios).toHaveLength(1);
    expect(report.scenarios[0]).toMatchObject({ id: 'wrong-port', ok: true, symptomsObserved: true, solutionPassed: true, leaked: 0, seconds: expect.any(Number) });
    expect(result.stderr).toContain('→ confirming the symptoms');
  });

  it('refuses an unknown scenario before touching Docker', () => {
    const started = performance.now();
    const result = breakfix(['verify', 'wrong-prot']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^breakfix: unknown scenario wrong-prot; did you mean wrong-port\? \(run `breakfix list`/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('breakfix gc', () => {
  it('says in one line that Docker cannot be reached, and how to fix it', () => {
    const result = breakfix(['gc', '--json'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^breakfix: Docker is not reachable: .*\(run `breakfix doctor --fix`\)$/m);
  });
});
