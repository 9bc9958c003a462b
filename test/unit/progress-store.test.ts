/**
 * The learner's progress (engine/progress): where it lives (XDG state folder), what each lab
 * event does to it, that concurrent recorders lose nothing, `--reset`, the course's next
 * scenario, and "where you are" read from real workspace folders.
 */
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nextScenario, type CourseOrder } from '../../engine/progress/course.js';
import { describeJourney, nextAfter } from '../../engine/progress/journey.js';
import { progressEventOf } from '../../engine/progress/lab-progress.js';
import { applyProgressEvent, recordProgress, resetProgress } from '../../engine/progress/record.js';
import { emptyProgress, progressDir, progressFile, readProgress } from '../../engine/progress/store.js';
import { sessionResult } from '../../engine/session/result.js';
import type { ScenarioSummary } from '../../engine/scenario/list.js';
import { makeContext } from '../support/fake-lab-session.js';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});
async function scratch(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bf-progress-'));
  roots.push(root);
  return root;
}

const summary = (id: string, difficulty: ScenarioSummary['difficulty'] = 'beginner'): ScenarioSummary => ({
  id,
  title: `the ${id} lab`,
  difficulty,
  tags: [],
  dir: `/scenarios/${id}`,
});
const COURSE: CourseOrder = { id: 'breakfix', title: 'breakfix', scenarios: ['a', 'b', 'c'].map((id) => summary(id)) };
const subject = (scenario: string, sessionId = 's1', workspace = '/ws/a') => ({
  course: 'breakfix',
  scenario,
  sessionId,
  workspace,
});
const round = (at: string, passed: boolean, score: number, hintsRevealed = 0, extra: { finalScore?: number } = {}) =>
  ({
    type: 'round',
    at,
    report: { passed, score, maxScore: 100, ...extra },
    hintsRevealed,
    activeSince: Date.parse('2026-01-05T10:00:00Z'),
  }) as const;

describe('where progress is kept', () => {
  it('is $XDG_STATE_HOME/breakfix, else ~/.local/state/breakfix; a relative XDG_STATE_HOME is ignored', () => {
    expect(progressDir({ XDG_STATE_HOME: '/state', HOME: '/home/ada' })).toBe('/state/breakfix');
    expect(progressDir({ HOME: '/home/ada' })).toBe('/home/ada/.local/state/breakfix');
    expect(progressDir({ XDG_STATE_HOME: 'relative', HOME: '/home/ada' })).toBe('/home/ada/.local/state/breakfix');
    expect(progressFile({ XDG_STATE_HOME: '/state' })).toBe('/state/breakfix/progress.json');
  });

  it('reads a missing or foreign file as no progress', async () => {
    const root = await scratch();
    expect(await readProgress(path.join(root, 'none.json'))).toEqual(emptyProgress());
    await writeFile(path.join(root, 'odd.json'), '{"something": "else"}');
    expect(await readProgress(path.join(root, 'odd.json'))).toEqual(emptyProgress());
  });
});

describe('what lab events do to progress', () => {
  it('counts rounds and hints, keeps the best score, and the time to solve of the first solve', () => {
    const progress = emptyProgress();
    applyProgressEvent(progress, subject('a'), { type: 'started', at: '2026-01-05T10:00:00.000Z' });
    applyProgressEvent(progress, subject('a'), round('2026-01-05T10:02:00.000Z', false, 40));
    applyProgressEvent(progress, subject('a'), { type: 'hints', at: '2026-01-05T10:03:00.000Z', hintsRevealed: 1 });
    applyProgressEvent(progress, subject('a'), round('2026-01-05T10:07:30.000Z', true, 100, 1, { finalScore: 90 }));
    // A later, worse round of a second attempt changes neither the best score nor the time to solve.
    applyProgressEvent(progress, subject('a', 's2', '/ws/a2'), { type: 'started', at: '2026-01-06T09:00:00.000Z' });
    applyProgressEvent(progress, subject('a', 's2', '/ws/a2'), round('2026-01-06T09:01:00.000Z', false, 70, 2));
    const entry = progress.courses.breakfix?.scenarios.a;
    expect(entry).toMatchObject({
      solved: true,
      bestScore: 100,
      maxScore: 100,
      bestFinalScore: 90,
      solvedAt: '2026-01-05T10:07:30.000Z',
      timeToSolveMs: 450_000,
      checkRounds: 3,
      hintsUsed: 3,
      firstAttemptAt: '2026-01-05T10:00:00.000Z',
      lastAttemptAt: '2026-01-06T09:01:00.000Z',
    });
    expect(Object.keys(entry?.attempts ?? {})).toEqual(['s1', 's2']);
    expect(progress.last).toEqual({
      course: 'breakfix',
      scenario: 'a',
      workspace: '/ws/a2',
      at: '2026-01-06T09:01:00.000Z',
    });
  });

  it('a hint counted once per session, however often the count is reported', () => {
    const progress = emptyProgress();
    for (const revealed of [1, 1, 2, 2])
      applyProgressEvent(progress, subject('b'), { type: 'hints', at: 'x', hintsRevealed: revealed });
    expect(progress.courses.breakfix?.scenarios.b?.hintsUsed).toBe(2);
  });

  it('turns LabSession results into events: start when active, a round per CHECK report, nothing for ticks and stop', () => {
    const active = sessionResult({ sessionId: 's1', workspace: '/ws' }, 'active', makeContext());
    expect(progressEventOf({ kind: 'start' }, active, new Date(0))).toEqual({
      type: 'started',
      at: new Date(makeContext().activeSince ?? 0).toISOString(),
    });
    expect(progressEventOf({ kind: 'start' }, { ...active, state: 'error' })).toBeUndefined();
    expect(progressEventOf({ kind: 'tick' }, active)).toBeUndefined();
    expect(progressEventOf({ kind: 'send', event: 'STOP' }, active)).toBeUndefined();
    const report = {
      scenario: 'a',
      passed: true,
      score: 100,
      maxScore: 100,
      checks: [],
      startedAt: 'x',
      durationMs: 1,
    };
    const checked = sessionResult(
      { sessionId: 's1', workspace: '/ws' },
      'passed',
      makeContext({ lastReport: report, hintsRevealed: 2 }),
    );
    expect(progressEventOf({ kind: 'send', event: 'CHECK' }, checked, new Date(0))).toMatchObject({
      type: 'round',
      report: { passed: true, score: 100 },
      hintsRevealed: 2,
    });
    const couldNotRun = sessionResult(
      { sessionId: 's1', workspace: '/ws' },
      'active',
      makeContext({
        lastReport: report,
        lastFailure: { during: 'checking', kind: 'environment', message: 'no docker' },
      }),
    );
    expect(progressEventOf({ kind: 'send', event: 'CHECK' }, couldNotRun)?.type).toBe('touched');
    expect(progressEventOf({ kind: 'send', event: 'HINT' }, checked)).toMatchObject({
      type: 'hints',
      hintsRevealed: 2,
    });
  });
});

describe('the file under several recorders at once', () => {
  it('40 concurrent rounds from two labs: every one counted, the file whole, no lock or temp file left', async () => {
    const root = await scratch();
    const file = path.join(root, 'breakfix', 'progress.json');
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        recordProgress(
          subject(index % 2 === 0 ? 'a' : 'b', `s${index % 2}`),
          round(new Date(Date.UTC(2026, 0, 5, 10, 0, index)).toISOString(), index === 39, index),
          file,
        ),
      ),
    );
    const progress = JSON.parse(await readFile(file, 'utf8')) as ReturnType<typeof emptyProgress>;
    expect(progress.courses.breakfix?.scenarios.a?.checkRounds).toBe(20);
    expect(progress.courses.breakfix?.scenarios.b?.checkRounds).toBe(20);
    expect(progress.courses.breakfix?.scenarios.b).toMatchObject({ solved: true, bestScore: 39 });
    expect(await readdir(path.dirname(file))).toEqual(['progress.json']);
  });

  it('--reset forgets one scenario, or the whole course', async () => {
    const root = await scratch();
    const file = path.join(root, 'progress.json');
    await recordProgress(subject('a'), round('2026-01-05T10:00:00.000Z', true, 100), file);
    await recordProgress(subject('b'), round('2026-01-05T10:00:00.000Z', false, 10), file);
    expect((await resetProgress('breakfix', 'a', file)).removed).toEqual(['a']);
    expect(Object.keys((await readProgress(file)).courses.breakfix?.scenarios ?? {})).toEqual(['b']);
    expect((await resetProgress('breakfix', 'zzz', file)).removed).toEqual([]);
    expect((await resetProgress('breakfix', undefined, file)).removed).toEqual(['b']);
    expect((await readProgress(file)).courses).toEqual({});
  });
});

describe("the course's next scenario", () => {
  it('is the first unsolved one in order; after a solve, the next unsolved after it (wrapping round)', () => {
    const progress = emptyProgress();
    expect(nextScenario(COURSE, progress)?.id).toBe('a');
    applyProgressEvent(progress, subject('b'), round('2026-01-05T10:00:00.000Z', true, 100));
    expect(nextScenario(COURSE, progress)?.id).toBe('a');
    expect(nextScenario(COURSE, progress, 'b')?.id).toBe('c');
    applyProgressEvent(progress, subject('c'), round('2026-01-05T10:00:00.000Z', true, 100));
    expect(nextScenario(COURSE, progress, 'c')?.id).toBe('a');
    applyProgressEvent(progress, subject('a'), round('2026-01-05T10:00:00.000Z', true, 100));
    expect(nextScenario(COURSE, progress)).toBeUndefined();
  });
});

describe('where the learner is', () => {
  async function workspace(root: string, name: string, scenario: string, state: string): Promise<string> {
    const dir = path.join(root, name);
    await mkdir(path.join(dir, '.breakfix'), { recursive: true });
    await writeFile(
      path.join(dir, '.breakfix', 'session.json'),
      JSON.stringify({
        format: 1,
        sessionId: `id-${name}`,
        scenarioId: scenario,
        seed: 1,
        workspace: dir,
        createdAt: 'x',
        revision: 1,
        state,
      }),
    );
    return dir;
  }

  it('lists the labs that are up, the one the current folder belongs to, and the next scenario with its command', async () => {
    const root = await scratch();
    const env = { XDG_STATE_HOME: path.join(root, 'state') };
    const up = await workspace(root, 'b-lab', 'b', 'active');
    const stopped = await workspace(root, 'a-lab', 'a', 'stopped');
    await recordProgress(
      subject('a', 'id-a-lab', stopped),
      round('2026-01-05T10:00:00.000Z', true, 100),
      progressFile(env),
    );
    await recordProgress(
      subject('b', 'id-b-lab', up),
      { type: 'started', at: '2026-01-05T11:00:00.000Z' },
      progressFile(env),
    );

    const journey = await describeJourney({ env, course: COURSE, cwd: path.join(stopped) });
    expect(journey).toMatchObject({ solved: 1, total: 3, course: { id: 'breakfix' } });
    expect(journey.labs.map((lab) => [lab.scenario, lab.state])).toEqual([['b', 'active']]);
    expect(journey.here).toMatchObject({ scenario: 'a', state: 'stopped', here: true });
    // The next unsolved is b, whose lab is up: go there rather than start a second one.
    expect(journey.next).toEqual({
      id: 'b',
      title: 'the b lab',
      difficulty: 'beginner',
      command: `cd ${up} && breakfix status`,
    });
    expect(journey.scenarios.map((entry) => [entry.id, entry.solved, entry.bestScore])).toEqual([
      ['a', true, 100],
      ['b', false, undefined],
      ['c', false, undefined],
    ]);
    expect(await nextAfter('a', { env, course: COURSE })).toMatchObject({ id: 'b', command: 'breakfix start b' });
  });
});
