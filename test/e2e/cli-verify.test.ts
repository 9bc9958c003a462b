/**
 * `breakfix verify` as an instructor or CI runs it: `verify --all --json` proves the eight seed
 * scenarios, two at a time, with the contract's JSON on stdout (in `list` order) and progress on
 * stderr, each line tagged with its scenario; a typo fails at once. (`gc` is not run for real
 * here: on a shared Docker Engine it would sweep other people's abandoned labs.)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'breakfix');

const SEED_SCENARIOS = [
  'missing-env-var',
  'secret-not-mounted',
  'wrong-port',
  'healthcheck-wrong-path',
  'stale-image-tag',
  'migration-not-applied',
  'logs-not-collected',
  'rollback-schema-change',
];

function breakfix(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(bin, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 900_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('breakfix verify', () => {
  it('--all --json proves the eight and prints {ok, scenarios:[{id, ok, symptomsObserved, solutionPassed, leaked, seconds}]}', () => {
    const started = performance.now();
    const result = breakfix(['verify', '--all', '--json', '--jobs', '2']);
    const wall = (performance.now() - started) / 1000;
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; scenarios: Array<Record<string, unknown>> };
    expect(report.ok).toBe(true);
    const listed = (JSON.parse(breakfix(['list', '--json']).stdout) as Array<{ id: string }>).map(
      (scenario) => scenario.id,
    );
    expect([...listed].sort()).toEqual([...SEED_SCENARIOS].sort());
    expect(report.scenarios.map((scenario) => scenario['id'])).toEqual(listed);
    for (const scenario of report.scenarios) {
      expect(scenario).toMatchObject({
        ok: true,
        symptomsObserved: true,
        failedBeforeFix: true,
        solutionPassed: true,
        leaked: 0,
        seconds: expect.any(Number),
        symptomSeconds: expect.any(Number),
      });
    }
    expect(result.stderr).toMatch(/^\[wrong-port\] → confirming the symptoms$/m);
    const symptoms = report.scenarios
      .map((scenario) => `${String(scenario['id'])} ${String(scenario['symptomSeconds'])} s`)
      .join(', ');
    console.log(
      `[measure] verify --all --json --jobs 2: wall ${wall.toFixed(1)} s; to confirmed symptoms: ${symptoms}`,
    );
  }, 900_000);

  it('refuses an unknown scenario before touching Docker', () => {
    const started = performance.now();
    const result = breakfix(['verify', 'wrong-prot']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(
      /^breakfix: unknown scenario wrong-prot; did you mean wrong-port\? \(run `breakfix list`/,
    );
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
