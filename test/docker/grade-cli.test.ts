/**
 * `breakfix grade` through the built CLI on the real engine: a fixed and a broken submission of
 * wrong-port (exit 0 / 1), the report on stdout or in a file, the JUnit report valid against
 * the vendored XSD, and exit 2 when grading cannot run. The broken submission's api also ignores
 * its stop signal under a 120 s grace period: a graded lab is thrown away with its volumes, so
 * its teardown kills at once instead of waiting that out.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { packageRoot } from '../../engine/paths.js';
import { explain, gradeSessionOf, labelledBy, runCli, wrongPortWorkspace } from './grade-support.js';

const XSD = readFile(path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/junit/JUnit.xsd'), 'utf8');

describe('breakfix grade (built CLI, real Docker)', () => {
  let root: string;
  let fixed: string;
  let broken: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'bf-grade-cli-'));
    fixed = await wrongPortWorkspace(path.join(root, 'fixed'), 'fixed');
    broken = await wrongPortWorkspace(path.join(root, 'broken'), 'broken', 9090);
    // SIGWINCH is ignored by default, and PID 1 ignores what it does not handle anyway.
    const compose = path.join(broken, 'compose.yaml');
    const document = parseDocument(await readFile(compose, 'utf8'));
    document.setIn(['services', 'api', 'stop_signal'], 'SIGWINCH');
    document.setIn(['services', 'api', 'stop_grace_period'], '120s');
    await writeFile(compose, document.toString());
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('a fixed submission passes: exit 0, the JSON report alone on stdout, progress on stderr, nothing left behind', async () => {
    const run = await runCli(
      ['grade', 'wrong-port', '--workspace', fixed, '--seed', '3', '--learner', 'ada-l', '--reporter', 'json'],
      { env: { GITHUB_ACTOR: 'not-this-one' } },
    );
    expect(run.stderr).toContain('grade: checking');
    expect(run.code, explain(run)).toBe(0);
    const report = JSON.parse(run.stdout) as {
      scenario: string;
      passed: boolean;
      score: number;
      maxScore: number;
      seed: number;
      learner: string;
      scenarioHash: string;
      breakfixVersion: string;
      startedAt: string;
      endedAt: string;
      checks: Array<{ id: string; passed: boolean; errored: boolean; points: number; message: string }>;
    };
    expect(report).toMatchObject({ scenario: 'wrong-port', passed: true, score: 100, maxScore: 100, seed: 3 });
    // Provenance for `breakfix report`: who, which scenario file, which breakfix, when.
    const scenarioFile = await readFile(path.join(packageRoot, 'scenarios', 'wrong-port', 'scenario.yaml'));
    const packageJson = JSON.parse(await readFile(path.join(packageRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(report).toMatchObject({
      learner: 'ada-l',
      scenarioHash: `sha256:${createHash('sha256').update(scenarioFile).digest('hex')}`,
      breakfixVersion: packageJson.version,
    });
    expect(Date.parse(report.endedAt)).toBeGreaterThanOrEqual(Date.parse(report.startedAt));
    // The real result file rolls up into GitHub Classroom's document.
    const resultFile = path.join(root, 'ada-l.json');
    await writeFile(resultFile, run.stdout);
    const classroom = await runCli(['report', resultFile, '--format', 'classroom']);
    expect(classroom.code, explain(classroom)).toBe(0);
    expect(JSON.parse(classroom.stdout)).toMatchObject({ version: 1, status: 'pass', max_score: 100 });
    expect(report.checks.map((check) => [check.id, check.passed])).toEqual([
      ['api-reachable', true],
      ['api-healthy', true],
      ['detects-database-outage', true],
      ['notes-work', true],
    ]);
    expect(await labelledBy(gradeSessionOf(run.stderr))).toEqual([]);
    console.log(`[grade] one fixed submission graded in ${(run.ms / 1000).toFixed(1)} s`);
  });

  it('a broken submission fails: exit 1, a JUnit file valid against JUnit.xsd, one summary line on stdout', async () => {
    const out = path.join(root, 'reports', 'nested', 'breakfix.xml');
    const run = await runCli(['grade', 'wrong-port', '--workspace', broken, '--reporter', 'junit', '--out', out]);
    expect(run.code, explain(run)).toBe(1);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(
      /^wrong-port: not passed, score \d+\/100, \d of 4 checks passed \(junit report: .*breakfix\.xml\)\n$/,
    );
    const xml = await readFile(out, 'utf8');
    const validation = await validateXML({
      xml: [{ fileName: 'breakfix.xml', contents: xml }],
      schema: [{ fileName: 'JUnit.xsd', contents: await XSD }],
    });
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(xml).toContain(
      '<testcase classname="wrong-port" name="api-reachable: /health answers 200 on the published port"',
    );
    expect(xml).toMatch(/<failure message="[^"]+" type="http">/);
    expect(xml).toContain('hint for api-reachable:');
    expect(await labelledBy(gradeSessionOf(run.stderr))).toEqual([]);
    // A graceful teardown would have waited the api's 120 s grace period.
    expect(run.ms).toBeLessThan(100_000);
    console.log(`[grade] one broken submission graded in ${(run.ms / 1000).toFixed(1)} s`);
  });

  it('the text report (default) and TAP go to stdout with the same verdict', async () => {
    const run = await runCli(['grade', 'wrong-port', '--workspace', broken, '--reporter', 'tap']);
    expect(run.code, explain(run)).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('TAP version 14');
    expect(lines).toContain('1..4');
    expect(lines).toContain('not ok 1 - api-reachable: /health answers 200 on the published port');
  });

  it('exit 2 with a one-line reason when grading cannot run', async () => {
    const unknown = await runCli(['grade', 'no-such-scenario', '--workspace', fixed]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr.trim().split('\n').at(-1)).toMatch(
      /^breakfix grade: grading could not run: unknown scenario no-such-scenario/,
    );
    const missing = await runCli(['grade', 'wrong-port', '--workspace', path.join(root, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const badFlag = await runCli(['grade', 'wrong-port', '--workspace', fixed, '--reporter', 'xml']);
    expect(badFlag.code).toBe(2);
    const noWorkspace = await runCli(['grade', 'wrong-port']);
    expect(noWorkspace.code).toBe(2);
  });
});
