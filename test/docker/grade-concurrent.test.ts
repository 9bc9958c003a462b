/**
 * Ten submissions graded at once through the built CLI — wrong-port and missing-env-var, half
 * fixed, half broken — each getting its own verdict, with no interference and nothing left.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  explain,
  gradeSessionOf,
  labelledBy,
  missingEnvWorkspace,
  runCli,
  wrongPortWorkspace,
  type CliRun,
} from './grade-support.js';

interface Submission {
  name: string;
  scenario: 'wrong-port' | 'missing-env-var';
  kind: 'fixed' | 'broken';
  workspace: string;
}

describe('ten submissions graded concurrently (built CLI, real Docker)', () => {
  let root: string;
  const submissions: Submission[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'bf-grade-ten-'));
    const plan: Array<[Submission['scenario'], Submission['kind']]> = [
      ['wrong-port', 'fixed'],
      ['wrong-port', 'broken'],
      ['missing-env-var', 'fixed'],
      ['missing-env-var', 'broken'],
      ['wrong-port', 'fixed'],
      ['wrong-port', 'broken'],
      ['missing-env-var', 'fixed'],
      ['missing-env-var', 'broken'],
      ['wrong-port', 'fixed'],
      ['wrong-port', 'broken'],
    ];
    for (const [index, [scenario, kind]] of plan.entries()) {
      const name = `${String(index).padStart(2, '0')}-${scenario}-${kind}`;
      const dir = path.join(root, name);
      const workspace =
        scenario === 'wrong-port'
          ? await wrongPortWorkspace(dir, kind, [3000, 5000, 8000, 9090][index % 4])
          : await missingEnvWorkspace(dir, kind);
      submissions.push({ name, scenario, kind, workspace });
    }
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('gives the ten right verdicts', { timeout: 600_000 }, async () => {
    const started = performance.now();
    const runs: CliRun[] = await Promise.all(
      submissions.map((submission, index) =>
        runCli([
          'grade',
          submission.scenario,
          '--workspace',
          submission.workspace,
          '--seed',
          String(index + 1),
          '--reporter',
          'json',
        ]),
      ),
    );
    const wallSeconds = (performance.now() - started) / 1000;

    const verdicts = runs.map((run, index) => {
      const submission = submissions[index]!;
      const report =
        run.code === 0 || run.code === 1
          ? (JSON.parse(run.stdout) as { scenario: string; passed: boolean; score: number; seed: number })
          : undefined;
      return {
        name: submission.name,
        code: run.code,
        scenario: report?.scenario,
        passed: report?.passed,
        seed: report?.seed,
        error: report ? undefined : explain(run),
      };
    });
    expect(verdicts).toEqual(
      submissions.map((submission, index) => ({
        name: submission.name,
        code: submission.kind === 'fixed' ? 0 : 1,
        scenario: submission.scenario,
        passed: submission.kind === 'fixed',
        seed: index + 1,
        error: undefined,
      })),
    );
    // Ten different labs, and none of them left anything behind.
    const sessions = runs.map((run) => gradeSessionOf(run.stderr));
    expect(new Set(sessions).size).toBe(10);
    for (const session of sessions) expect([session, await labelledBy(session)]).toEqual([session, []]);

    const each = runs.map((run) => run.ms / 1000);
    console.log(
      `[grade] ten concurrent submissions: wall ${wallSeconds.toFixed(1)} s; each ${Math.min(...each).toFixed(1)}–${Math.max(...each).toFixed(1)} s on ${os.cpus().length} CPUs`,
    );
  });
});
