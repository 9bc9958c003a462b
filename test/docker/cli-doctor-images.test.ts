/**
 * The built CLI (bin/breakfix → dist/) against the real engine: `doctor --json` keeps the
 * contract's shape and passes on a ready machine; a warm `images` is a quick no-op.
 * (The docker project's global setup has built dist/ and the images.)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'breakfix');

function breakfix(...args: string[]): { code: number | null; stdout: string; stderr: string; ms: number } {
  const started = performance.now();
  // No TTY and CI set: the plain-line output mode, as in a pipeline.
  const result = spawnSync(bin, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

describe('bin/breakfix doctor --json', () => {
  it('prints exactly {ok, checks:[{name, ok, detail}]} and exits 0 on this ready machine', () => {
    const run = breakfix('doctor', '--json');
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { ok: boolean; checks: Array<Record<string, unknown>> };
    expect(Object.keys(report).sort()).toEqual(['checks', 'ok']);
    for (const check of report.checks) {
      expect(Object.keys(check).sort()).toEqual(['detail', 'name', 'ok']);
      expect(typeof check.name).toBe('string');
      expect(typeof check.ok).toBe('boolean');
      expect(typeof check.detail).toBe('string');
    }
    const failed = report.checks.filter((check) => check.ok !== true);
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.map((check) => check.name)).toEqual(
      expect.arrayContaining([
        'docker',
        'engine',
        'disk',
        'image breakfix/base:bookworm',
        'image breakfix/postgres:15',
        'image breakfix/python:3.11',
        'image breakfix/node:18',
        'image breakfix/node-build:18',
        'image breakfix/redis:7',
        'image breakfix/fault-helper:bookworm',
        // The helper really ran in a container's network namespace with NET_ADMIN.
        'network faults',
      ]),
    );
    expect(run.code).toBe(0);
  });

  it('exits 2 with the reason when Docker cannot be reached', () => {
    const started = performance.now();
    const result = spawnSync(bin, ['doctor', '--json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      checks: Array<{ name: string; ok: boolean; detail: string }>;
    };
    expect(report.ok).toBe(false);
    expect(report.checks.find((check) => check.name === 'docker')).toMatchObject({
      ok: false,
      detail: expect.stringContaining('/nonexistent/docker.sock'),
    });
    expect(result.status).toBe(2);
    // The probe fails fast: no strategy search, no hang.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('bin/breakfix images', () => {
  it('is a no-op in well under 2 s when every image is current', () => {
    const run = breakfix('images');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('breakfix/base:bookworm: up to date');
    expect(run.stdout).toContain('breakfix/postgres:15: up to date');
    expect(run.stdout).toContain('breakfix/python:3.11: up to date');
    expect(run.stdout).toContain('breakfix/node:18: up to date');
    expect(run.stdout).toContain('breakfix/node-build:18: up to date');
    expect(run.stdout).toContain('breakfix/redis:7: up to date');
    expect(run.stdout).not.toContain('building');
    process.stdout.write(`[measure] warm \`breakfix images\`: ${Math.round(run.ms)} ms\n`);
    expect(run.ms).toBeLessThan(2_000);
  });
});
