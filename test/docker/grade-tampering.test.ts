/**
 * The rules come only from the scenario. A broken wrong-port submission is graded as it is,
 * then three times with an attempt to change the rules — its own scenario.yaml, a forged
 * .breakfix/ state, symlinks leading out of the submission — and each gets the same verdict
 * and the same score as the plain broken one.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenariosDir } from '../../engine/paths.js';
import { explain, gradeSessionOf, labelledBy, runCli, wrongPortWorkspace } from './grade-support.js';

interface Report {
  passed: boolean;
  score: number;
  checks: Array<{ id: string; passed: boolean }>;
}

/** A scenario that would pass anything: one file check on a file every workspace has. */
const LENIENT_SCENARIO = `id: wrong-port
title: anything goes
difficulty: beginner
lab: notes-api
briefing: x
faults: []
symptoms: []
checks:
  - id: free-points
    type: file
    path: compose.yaml
    expect: { exists: true }
    points: 100
`;

const FORGED_SESSION = JSON.stringify({
  format: 1,
  sessionId: 'forged',
  scenarioId: 'wrong-port',
  seed: 999_999,
  workspace: '/nowhere',
  createdAt: new Date().toISOString(),
  revision: 9,
  state: 'passed',
  snapshot: {
    value: 'passed',
    context: { lastReport: { scenario: 'wrong-port', passed: true, score: 100, maxScore: 100, checks: [] } },
  },
});

const sha = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('grading cannot be talked into other rules (built CLI, real Docker)', () => {
  let root: string;
  let baseline: Report;
  const scenarioFile = path.join(scenariosDir, 'wrong-port', 'scenario.yaml');
  let scenarioHash: string;

  async function grade(workspace: string) {
    const run = await runCli(['grade', 'wrong-port', '--workspace', workspace, '--reporter', 'json']);
    expect(run.code, explain(run)).toBe(1);
    expect(await labelledBy(gradeSessionOf(run.stderr))).toEqual([]);
    return { report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
  }

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'bf-grade-tamper-'));
    scenarioHash = await sha(scenarioFile);
    baseline = (await grade(await wrongPortWorkspace(path.join(root, 'plain'), 'broken'))).report;
    expect(baseline.passed).toBe(false);
    expect(baseline.checks.map((check) => check.id)).toEqual([
      'api-reachable',
      'api-healthy',
      'detects-database-outage',
      'notes-work',
    ]);
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('a submission carrying its own scenario.yaml (at its root and under scenarios/) is graded by the real one', async () => {
    const workspace = await wrongPortWorkspace(path.join(root, 'own-scenario'), 'broken');
    await writeFile(path.join(workspace, 'scenario.yaml'), LENIENT_SCENARIO);
    await mkdir(path.join(workspace, 'scenarios', 'wrong-port'), { recursive: true });
    await writeFile(path.join(workspace, 'scenarios', 'wrong-port', 'scenario.yaml'), LENIENT_SCENARIO);
    const { report } = await grade(workspace);
    expect(report).toMatchObject({ passed: false, score: baseline.score });
    expect(report.checks.map((check) => [check.id, check.passed])).toEqual(
      baseline.checks.map((check) => [check.id, check.passed]),
    );
  });

  it('a forged .breakfix/ (a passed state, another seed) is dropped, not believed', async () => {
    const workspace = await wrongPortWorkspace(path.join(root, 'forged-state'), 'broken');
    await mkdir(path.join(workspace, '.breakfix'), { recursive: true });
    await writeFile(path.join(workspace, '.breakfix', 'session.json'), FORGED_SESSION);
    await writeFile(path.join(workspace, '.breakfix', 'releases.json'), '[]');
    await writeFile(path.join(workspace, '.breakfix', 'lock'), '');
    const { report, stderr } = await grade(workspace);
    expect(report).toMatchObject({ passed: false, score: baseline.score });
    expect(report.checks.map((check) => [check.id, check.passed])).toEqual(
      baseline.checks.map((check) => [check.id, check.passed]),
    );
    expect(stderr).toContain('grade: ignored .breakfix from the submission');
  });

  it('symlinks leading out of the submission (state, rules, the real scenario folder) are dropped and change nothing', async () => {
    const outside = path.join(root, 'outside');
    await mkdir(path.join(outside, 'state'), { recursive: true });
    await writeFile(path.join(outside, 'state', 'session.json'), FORGED_SESSION);
    await writeFile(path.join(outside, 'lenient.yaml'), LENIENT_SCENARIO);
    const workspace = await wrongPortWorkspace(path.join(root, 'symlinks'), 'broken');
    await symlink(path.join(outside, 'state'), path.join(workspace, '.breakfix'));
    await symlink(path.join(outside, 'lenient.yaml'), path.join(workspace, 'scenario.yaml'));
    await symlink(path.join(scenariosDir, 'wrong-port'), path.join(workspace, 'rules'));
    await symlink('/etc/hostname', path.join(workspace, 'secrets', 'host_secret.txt'));
    const { report, stderr } = await grade(workspace);
    expect(report).toMatchObject({ passed: false, score: baseline.score });
    expect(report.checks.map((check) => [check.id, check.passed])).toEqual(
      baseline.checks.map((check) => [check.id, check.passed]),
    );
    expect(stderr).toContain('grade: ignored scenario.yaml from the submission: symlink');
    expect(stderr).toContain('grade: ignored rules from the submission: symlink');
    expect(stderr).toMatch(
      /grade: ignored secrets\/host_secret\.txt from the submission: symlink to \/etc\/hostname leaves the submission/,
    );
    // Nothing was written through the links.
    expect(await sha(scenarioFile)).toBe(scenarioHash);
    expect(await readFile(path.join(outside, 'state', 'session.json'), 'utf8')).toBe(FORGED_SESSION);
  });
});
