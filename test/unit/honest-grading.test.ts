/**
 * The pure parts of honest grading: the order of a round (plain checks, probes only once they
 * pass, fresh-only checks and the durability proof), the red team's report card, the scan for
 * failure messages that print the fix, and the byte search that reads an image's layers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TimedOutcome } from '../../engine/checks/runner.js';
import { streamContains } from '../../engine/checks/stream-search.js';
import type { GradeReport } from '../../engine/grading/report.js';
import { runRound } from '../../engine/grading/round.js';
import type { CheckEntry } from '../../engine/scenario/schema.js';
import { checkMatrix } from '../../engine/verify/matrix.js';
import { findLeaks, fixValues } from '../../engine/verify/leaks.js';
import { loadScenarioText } from '../../engine/scenario/load.js';
import { check } from '../support/fake-lab-session.js';

const SCENARIOS = path.join(import.meta.dirname, '..', '..', 'scenarios');

const entry = (id: string, extra: Partial<CheckEntry> = {}): CheckEntry => ({
  id,
  type: 'http',
  title: id,
  points: 10,
  timing: { timeoutMs: 1000, withinMs: 1000 },
  params: {},
  ...extra,
});
const outcome = (passed: boolean, message = passed ? 'ok' : 'nope'): TimedOutcome => ({
  status: passed ? 'passed' : 'failed',
  message,
  durationMs: 1,
  attempts: 1,
});
const PROBE = [{ type: 'container.stop', phase: 'runtime' as const, params: { service: 'db' } }];

function freshReport(checks: Array<[string, boolean, string?]>): GradeReport {
  return {
    scenario: 's',
    passed: checks.every(([, passed]) => passed),
    score: 0,
    maxScore: 0,
    startedAt: new Date().toISOString(),
    durationMs: 1,
    checks: checks.map(([id, passed, message]) =>
      check(id, passed, {
        points: passed ? 10 : 0,
        maxPoints: 10,
        message: message ?? (passed ? 'ok' : 'fresh says no'),
      }),
    ),
  };
}

describe('a graded round', () => {
  it('runs probes only after every plain check passed, one at a time, in the scenario order', async () => {
    const order: string[] = [];
    const checks = [entry('a'), entry('probe-1', { perturb: PROBE }), entry('b'), entry('probe-2', { perturb: PROBE })];
    const report = await runRound('s', checks, {
      plain: async (check) => (order.push(check.id), outcome(true)),
      probe: async (check) => (order.push(check.id), outcome(true)),
    });
    expect(order.slice(0, 2).sort()).toEqual(['a', 'b']);
    expect(order.slice(2)).toEqual(['probe-1', 'probe-2']);
    expect(report.checks.map((check) => check.id)).toEqual(['a', 'probe-1', 'b', 'probe-2']);
    expect(report.checks.find((check) => check.id === 'probe-1')?.probe).toBe(true);
    expect(report).toMatchObject({ passed: true, score: 40 });
  });

  it('scores a probe 0 with "not run" while a plain check fails (no vacuous pass on a broken lab)', async () => {
    let probed = false;
    const report = await runRound('s', [entry('a'), entry('p', { perturb: PROBE })], {
      plain: async () => outcome(false),
      probe: async () => ((probed = true), outcome(true)),
    });
    expect(probed).toBe(false);
    expect(report.checks[1]).toMatchObject({ passed: false, points: 0 });
    expect(report.checks[1]?.message).toMatch(/^not run/);
  });

  it('stops at the first rejection when asked (verify --until-rejected): later checks are marked not run', async () => {
    const ran: string[] = [];
    const burst = entry('burst', { type: 'load', params: { service: 'api', requests: 10 } });
    const checks = [entry('a'), entry('b'), burst, entry('c'), entry('p', { perturb: PROBE })];
    const runners = {
      plain: async (check: CheckEntry) => (ran.push(check.id), outcome(check.id !== 'a')),
      probe: async (check: CheckEntry) => (ran.push(check.id), outcome(true)),
    };
    const report = await runRound('s', checks, runners, { untilRejected: true });
    // a and b were already running together when a failed; the burst, c and the probe were not started.
    expect(ran.sort()).toEqual(['a', 'b']);
    expect(report.checks.map((check) => [check.id, check.passed, check.notRun ?? false])).toEqual([
      ['a', false, false],
      ['b', true, false],
      ['burst', false, true],
      ['c', false, true],
      ['p', false, true],
    ]);
    expect(report.checks[2]?.message).toMatch(/^not run: a check before it already rejected this fix/);
    // Without it, every plain check runs (the probe still waits for all of them to pass).
    ran.length = 0;
    const full = await runRound('s', checks, runners);
    expect(ran.sort()).toEqual(['a', 'b', 'burst', 'c']);
    expect(full.checks.filter((check) => check.notRun).map((check) => check.id)).toEqual(['p']);
  });

  it('stops after the first failing probe when asked (verify --until-rejected), and runs them all otherwise', async () => {
    const ran: string[] = [];
    const checks = [entry('a'), entry('p1', { perturb: PROBE }), entry('p2', { perturb: PROBE })];
    const runners = {
      plain: async () => outcome(true),
      probe: async (check: CheckEntry) => (ran.push(check.id), outcome(false)),
    };
    const report = await runRound('s', checks, runners, { untilRejected: true });
    expect(ran).toEqual(['p1']);
    expect(report.checks.map((check) => [check.id, check.passed, check.notRun ?? false])).toEqual([
      ['a', true, false],
      ['p1', false, false],
      ['p2', false, true],
    ]);
    ran.length = 0;
    await runRound('s', checks, runners);
    expect(ran).toEqual(['p1', 'p2']);
  });

  it('takes points away when the fresh deploy of the workspace disagrees (a fix made by hand)', async () => {
    const report = await runRound('s', [entry('a'), entry('b')], {
      plain: async () => outcome(true),
      probe: async () => outcome(true),
      durability: async () => ({
        report: freshReport([
          ['a', true],
          ['b', false],
        ]),
        cached: false,
        seconds: 3,
      }),
    });
    expect(report.passed).toBe(false);
    expect(report.checks[0]).toMatchObject({ id: 'a', passed: true, points: 10 });
    expect(report.checks[1]).toMatchObject({ id: 'b', passed: false, points: 0 });
    expect(report.checks[1]?.message).toBe(
      'passes in your running lab, but not when your workspace is deployed afresh: fresh says no',
    );
    expect(report.durability).toEqual({ proven: false, cached: false, seconds: 3 });
  });

  it('judges fresh-only checks by the durability proof alone, and skips the proof while something fails', async () => {
    const judged: string[] = [];
    const runners = (plainPasses: boolean, fresh: GradeReport) => ({
      plain: async (check: CheckEntry) => (judged.push(check.id), outcome(plainPasses)),
      probe: async () => outcome(true),
      durability: async () => ({ report: fresh, cached: true, seconds: 0 }),
    });
    const checks = [entry('a'), entry('first-start', { fresh: true })];
    const failing = await runRound(
      's',
      checks,
      runners(
        false,
        freshReport([
          ['a', true],
          ['first-start', true],
        ]),
      ),
    );
    expect(judged).toEqual(['a']);
    expect(failing.checks[1]?.message).toMatch(/^judged on a fresh deploy/);
    expect(failing.durability).toBeUndefined();
    const passing = await runRound(
      's',
      checks,
      runners(
        true,
        freshReport([
          ['a', true],
          ['first-start', true],
        ]),
      ),
    );
    expect(passing).toMatchObject({ passed: true, score: 20, durability: { proven: true, cached: true } });
    // Without a durability runner (grade: already a fresh deploy), a fresh-only check is an ordinary one.
    judged.length = 0;
    await runRound('s', checks, {
      plain: async (check) => (judged.push(check.id), outcome(true)),
      probe: async () => outcome(true),
    });
    expect(judged.sort()).toEqual(['a', 'first-start']);
  });
});

describe('the red team report card', () => {
  it('lists per check the wrong fixes it rejected and those it alone rejected', () => {
    const matrix = checkMatrix(
      ['healthy', 'probe', 'works'],
      [
        { title: 'delete it', kind: 'wrong', rejectedBy: ['healthy', 'probe'] },
        { title: '|| exit 0', kind: 'wrong', rejectedBy: ['probe'] },
        { title: 'a right one', kind: 'right', rejectedBy: [] },
      ],
    );
    expect(matrix).toEqual([
      { id: 'healthy', rejects: ['delete it'], alone: [] },
      { id: 'probe', rejects: ['delete it', '|| exit 0'], alone: ['|| exit 0'] },
      { id: 'works', rejects: [], alone: [] },
    ]);
  });
});

describe('failure messages keep the fix to themselves', () => {
  const edit = (value: unknown) => ({ type: 'compose.set', params: { path: 'services.api.image', value } });

  it('collects the values a fix writes that the broken workspace does not show, and finds them in messages', () => {
    const values = fixValues(
      [edit('notes-api:2.0.0'), edit(['CMD', 'curl', 'http://x/health']), edit('db')],
      'image: notes-api:latest\nCMD curl',
    );
    expect(values).toContain('notes-api:2.0.0');
    expect(values).toContain('http://x/health');
    // Too short to give anything away, or already in front of the learner.
    expect(values).not.toContain('db');
    expect(values).not.toContain('curl');
    const report = freshReport([
      ['tag', false, 'compose.yaml: expected to contain "notes-api:2.0.0", got notes-api:latest'],
      ['version', false, 'GET api:8080/version: expected version = "2.0.0", got "1.4.0"'],
      ['ok', true, 'notes-api:2.0.0 is fine when it passes'],
    ]);
    expect(findLeaks([{ where: 'the broken lab', report }], values)).toEqual([
      { check: 'tag', value: 'notes-api:2.0.0', where: 'the broken lab' },
    ]);
  });
});

describe('reading an image for a secret', () => {
  it('finds a needle split across chunks, and says which needles were found', async () => {
    const chunks = [Buffer.from('aaaa-sec'), Buffer.from('ret-value-bbbb'), Buffer.from('cccc')];
    const found = await streamContains(Readable.from(chunks), [Buffer.from('secret-value'), Buffer.from('absent!')]);
    expect(found).toEqual([0]);
    expect(await streamContains(Readable.from([Buffer.from('nothing here')]), [Buffer.from('secret-value')])).toEqual(
      [],
    );
  });
});

describe('validate holds the red-team rules', () => {
  const base = readFileSync(path.join(SCENARIOS, 'healthcheck-wrong-path', 'scenario.yaml'), 'utf8');
  const issuesOf = (text: string) => {
    const result = loadScenarioText(path.join(SCENARIOS, 'healthcheck-wrong-path', 'scenario.yaml'), text);
    return result.ok ? [] : result.errors.map((issue) => issue.message);
  };

  it('accepts the real scenario, and refuses a probe that could not be undone or names no service', () => {
    expect(issuesOf(base)).toEqual([]);
    const memory = base.replace(
      '- { type: container.stop, service: db }',
      '- { type: container.memory, service: db, bytes: 64m }',
    );
    expect(issuesOf(memory).join('\n')).toMatch(/unknown restorable perturbation type `container.memory`/);
    const typo = base.replace('- { type: container.stop, service: db }', '- { type: container.stop, service: dbx }');
    expect(issuesOf(typo).join('\n')).toMatch(/service `dbx` is not defined/);
  });

  it('takes deploy.sql with its undo statement, and refuses one without', () => {
    const migration = readFileSync(path.join(SCENARIOS, 'migration-not-applied', 'scenario.yaml'), 'utf8');
    const issues = (text: string) => {
      const result = loadScenarioText(path.join(SCENARIOS, 'migration-not-applied', 'scenario.yaml'), text);
      return result.ok ? [] : result.errors.map((issue) => issue.message);
    };
    expect(migration).toContain('type: deploy.sql');
    expect(issues(migration)).toEqual([]);
    const noUndo = migration.replace(/\n\s*undo: UPDATE schema_migrations[^\n]*/, '');
    expect(noUndo).not.toEqual(migration);
    expect(issues(noUndo).join('\n')).toMatch(/undo/);
  });

  it('refuses a wrong or right fix that changes nothing', () => {
    const idle = base.replace('rightFixes:\n', 'rightFixes:\n  - title: nothing at all\n    then: [apply]\n');
    expect(issuesOf(idle).join('\n')).toMatch(/this fix changes no file and runs no step other than apply/);
  });
});
