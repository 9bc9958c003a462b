/**
 * What the learner reads along the way: readable JSON log lines, the timeline under a debrief,
 * scoring that counts help, watch's located apply reason, stale check reports, no hint
 * announcements once solved, progress and "where you are", and quiet ends on a closed pipe.
 */
import { describe, expect, it } from 'vitest';
import { logLineWriter } from '../../cli/commands/logs.js';
import { reportSummary } from '../../cli/render/check-report.js';
import { homeLines, progressLines } from '../../cli/render/journey.js';
import { formatLogLine, logLineParts, parseLogLine, partsText } from '../../cli/render/log-line.js';
import { hintLines, nextHintRule, statusLines } from '../../cli/render/status.js';
import { createStyle, plain } from '../../cli/render/style.js';
import { timelineLines } from '../../cli/render/timeline.js';
import { watchRoundLines } from '../../cli/render/watch.js';
import { CLOSED_PIPE_EXIT, endOnClosedPipe, isClosedPipe } from '../../cli/shared/closed-pipe.js';
import type { Journey } from '../../engine/index.js';
import { withScoring } from '../../engine/grading/scoring.js';
import { toContractJson } from '../../engine/grading/report.js';
import { buildTimeline } from '../../engine/session/timeline.js';
import { check, makeView, report, T0 } from '../support/fake-lab-session.js';

const NOTES_API_FATAL =
  '{"ts":"2026-11-23T22:10:16.803Z","level":"fatal","msg":"DATABASE_NAME is not set","hint":"set it in compose.yaml","exit_code":3}';

describe('readable log lines', () => {
  it('a JSON line becomes time · level · message · key=value', () => {
    expect(formatLogLine(NOTES_API_FATAL, plain)).toBe(
      '22:10:16.803 fatal DATABASE_NAME is not set  hint="set it in compose.yaml"  exit_code=3',
    );
    expect(parseLogLine(NOTES_API_FATAL)).toMatchObject({ structured: true, level: 'fatal', time: '22:10:16.803' });
  });

  it('colours the level: errors red, warnings yellow, info cyan, debug dim', () => {
    const style = createStyle(true);
    expect(formatLogLine(NOTES_API_FATAL, style)).toContain('\x1b[31mfatal\x1b[39m');
    expect(formatLogLine('{"level":"warning","msg":"slow"}', style)).toContain('\x1b[33mwarning\x1b[39m');
    expect(formatLogLine('{"level":"info","msg":"up"}', style)).toContain('\x1b[36minfo \x1b[39m');
    expect(formatLogLine('{"level":"debug","msg":"x"}', style)).toContain('\x1b[2mdebug\x1b[22m');
  });

  it("reads pino's numeric levels and epoch times, and other common keys", () => {
    expect(formatLogLine('{"level":50,"time":1767607200123,"msg":"boom","pid":7}', plain)).toBe(
      '10:00:00.123 error boom  pid=7',
    );
    expect(formatLogLine('{"timestamp":"2026-01-05 10:00:01","severity":"WARN","message":"disk"}', plain)).toBe(
      '10:00:01 warn  disk',
    );
    expect(formatLogLine('{"event":"request","status":200,"path":"/health"}', plain)).toBe(
      'request  status=200  path=/health',
    );
  });

  it('other lines stay exactly as they are', () => {
    for (const line of ['database system is ready to accept connections', '{not json', '[1,2]', '  indented'])
      expect(formatLogLine(line, createStyle(true))).toBe(line);
    expect(partsText(logLineParts('{}'))).toBe('{}');
  });

  it('`breakfix logs` formats at a terminal; piped output and --raw keep the JSON', () => {
    const written: string[] = [];
    const out = (isTTY: boolean) => ({ isTTY, write: (text: string) => written.push(text) });
    logLineWriter({}, out(true), { NO_COLOR: '1' })(NOTES_API_FATAL);
    logLineWriter({}, out(false), {})(NOTES_API_FATAL);
    logLineWriter({ raw: true }, out(true), {})(NOTES_API_FATAL);
    expect(written).toEqual([
      '22:10:16.803 fatal DATABASE_NAME is not set  hint="set it in compose.yaml"  exit_code=3\n',
      `${NOTES_API_FATAL}\n`,
      `${NOTES_API_FATAL}\n`,
    ]);
  });
});

describe('scoring that counts help', () => {
  const passing = report([check('a', true), check('b', true)]);
  const facts = { hintsRevealed: 2, activeSince: T0, at: T0 + 5 * 60_000 };

  it('lists a hint cost and a time bonus apart from score, with finalScore', () => {
    const scored = withScoring(passing, { hintCost: 10, timeBonus: { withinMs: 600_000, points: 15 } }, facts);
    expect(scored).toMatchObject({ score: 100, finalScore: 95 });
    expect(scored.adjustments).toEqual([
      { kind: 'hints', points: -20, reason: '−20 for 2 hints' },
      { kind: 'time', points: 15, reason: '+15 for solving within 10m' },
    ]);
    expect(reportSummary(scored)).toBe('2 of 2 checks pass · 100/100 −20 for 2 hints +15 for solving within 10m = 95');
    expect(toContractJson(scored)).toMatchObject({ score: 100, finalScore: 95 });
  });

  it('no time bonus for a late or failing round; never below zero; nothing without rules', () => {
    const late = withScoring(passing, { timeBonus: { withinMs: 60_000, points: 15 } }, facts);
    expect(late).toMatchObject({ finalScore: 100, adjustments: [] });
    expect(reportSummary(late)).toBe('2 of 2 checks pass · 100/100');
    const failing = report([check('a', false), check('b', false)]);
    expect(withScoring(failing, { hintCost: 30 }, facts)).toMatchObject({ score: 0, finalScore: 0 });
    expect(withScoring(passing, undefined, facts)).toBe(passing);
    expect(toContractJson(passing)).not.toHaveProperty('finalScore');
  });
});

describe("the learner's timeline", () => {
  const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
  const lines = [
    { at: at(-60), session: 's1', type: 'state', state: 'building' },
    { at: at(-5), session: 's1', type: 'state', state: 'confirming' },
    { at: at(0), session: 's1', type: 'state', state: 'active' },
    { at: at(0), session: 's1', type: 'outcome', event: 'START', state: 'active', release: 1 },
    {
      at: at(70),
      session: 's1',
      type: 'outcome',
      event: 'CHECK',
      state: 'active',
      release: 1,
      report: { passed: false, score: 10, maxScore: 100, passing: 1, checks: 4 },
    },
    { at: at(90), session: 's1', type: 'outcome', event: 'HINT', state: 'active', release: 1, hintsRevealed: 1 },
    {
      at: at(200),
      session: 's1',
      type: 'outcome',
      event: 'APPLY',
      state: 'active',
      release: 1,
      failure: 'compose.yaml cannot be deployed:',
    },
    { at: at(260), session: 's1', type: 'release', release: { number: 2, kind: 'apply' } },
    { at: at(261), session: 's1', type: 'outcome', event: 'APPLY', state: 'active', release: 2 },
    { at: at(300), session: 's1', type: 'release', release: { number: 3, kind: 'rollback', restores: 1 } },
    { at: at(301), session: 's1', type: 'outcome', event: 'ROLLBACK', state: 'active', release: 3 },
    {
      at: at(420),
      session: 's1',
      type: 'outcome',
      event: 'CHECK',
      state: 'passed',
      release: 3,
      report: { passed: true, score: 100, maxScore: 100, passing: 4, checks: 4, finalScore: 95 },
    },
    {
      at: at(500),
      session: 's1',
      type: 'outcome',
      event: 'CHECK',
      state: 'passed',
      release: 3,
      report: { passed: true, score: 100, maxScore: 100, passing: 4, checks: 4 },
    },
  ];

  it('tells when the symptoms showed, each apply, round, hint and rollback, and the time to solve', () => {
    const timeline = buildTimeline(lines);
    expect(timeline.entries.map((entry) => [entry.offsetMs / 1000, entry.kind, entry.text])).toEqual([
      [0, 'symptoms', 'the lab was up and broken: the symptoms showed'],
      [70, 'check', 'check: 1 of 4 pass · 10/100'],
      [90, 'hint', 'hint 1 revealed'],
      [200, 'apply', 'apply: compose.yaml cannot be deployed:'],
      [261, 'apply', 'apply: release 2 is running'],
      [301, 'rollback', 'rollback to release 1: release 3 is running'],
      [420, 'check', 'check: 4 of 4 pass · 100/100 (final 95) — solved'],
      [500, 'check', 'check: 4 of 4 pass · 100/100 — solved'],
    ]);
    expect(timeline).toMatchObject({ startedAt: at(0), solvedAt: at(420), totalMs: 420_000 });
    const text = timelineLines(timeline, plain);
    expect(text[0]).toBe('00:00  the lab was up and broken: the symptoms showed');
    expect(text).toContain('07:00  ✓ check: 4 of 4 pass · 100/100 (final 95) — solved');
    expect(text.at(-1)).toBe('solved in 07:00');
  });
});

describe('messages that stay true', () => {
  it("watch shows apply's located reason, every line of it", () => {
    const lines = watchRoundLines(
      {
        at: new Date(T0),
        changed: ['compose.yaml'],
        applied: false,
        release: 1,
        failure:
          'compose.yaml cannot be deployed:\n  compose.yaml:77:14: services.api.restart: must be one of no, always, on-failure, unless-stopped (did you mean unless-stopped?)',
      },
      plain,
    );
    expect(lines.slice(1)).toEqual([
      '  ✗ apply failed: compose.yaml cannot be deployed:',
      '    compose.yaml:77:14: services.api.restart: must be one of no, always, on-failure, unless-stopped (did you mean unless-stopped?)',
    ]);
  });

  it('status marks a check report older than the running release as stale', () => {
    const view = makeView({ release: 3, lastReport: report([check('a', true)]), lastReportStale: true });
    expect(statusLines(view, '127.0.0.1', plain, T0).join('\n')).toContain(
      'last check (stale: it ran before release 3, which runs now; `breakfix check` grades it)',
    );
    expect(statusLines({ ...view, lastReportStale: false }, '127.0.0.1', plain, T0)).toContain('last check');
  });

  it('a solved lab announces no next hint', () => {
    const view = makeView({ hints: { revealed: [], unlocked: 0, total: 2, nextRule: { elapsedMs: 600_000 } } });
    expect(nextHintRule(view, T0 + 60_000)).toBe('next hint in 9m');
    expect(nextHintRule({ ...view, state: 'passed' }, T0 + 60_000)).toBeUndefined();
    expect(hintLines({ ...view, state: 'passed' }, T0 + 60_000, plain)).toEqual([]);
  });
});

describe('progress and where you are', () => {
  const journey: Journey = {
    course: { id: 'breakfix', title: 'breakfix' },
    file: '/home/ada/.local/state/breakfix/progress.json',
    solved: 1,
    total: 3,
    scenarios: [
      {
        id: 'wrong-port',
        title: 'Port',
        difficulty: 'beginner',
        solved: true,
        bestScore: 100,
        maxScore: 100,
        bestFinalScore: 95,
        timeToSolveMs: 420_000,
        checkRounds: 2,
        hintsUsed: 1,
        attempts: 1,
        firstAttemptAt: new Date(T0).toISOString(),
        lastAttemptAt: new Date(T0).toISOString(),
      },
      {
        id: 'missing-env-var',
        title: 'Env',
        difficulty: 'beginner',
        solved: false,
        bestScore: 40,
        maxScore: 100,
        checkRounds: 3,
        hintsUsed: 0,
        attempts: 1,
        firstAttemptAt: new Date(T0).toISOString(),
        lastAttemptAt: new Date(T0 + 3_600_000).toISOString(),
      },
      {
        id: 'stale-image-tag',
        title: 'Stale',
        difficulty: 'intermediate',
        solved: false,
        checkRounds: 0,
        hintsUsed: 0,
        attempts: 0,
      },
    ],
    labs: [
      { workspace: '/labs/missing-env-var', scenario: 'missing-env-var', sessionId: 'x', state: 'active', here: false },
    ],
    last: {
      course: 'breakfix',
      scenario: 'missing-env-var',
      workspace: '/labs/missing-env-var',
      at: new Date(T0 + 3_600_000).toISOString(),
    },
    next: {
      id: 'missing-env-var',
      title: 'Env',
      difficulty: 'beginner',
      command: 'cd /labs/missing-env-var && breakfix status',
    },
  };
  const now = T0 + 2 * 3_600_000;

  it('progress: ✓, best score (and final), time to solve, rounds, hints; the next one with its command', () => {
    expect(progressLines(journey, plain, now)).toEqual([
      'breakfix course: 1 of 3 solved',
      '✓ wrong-port       beginner      100/100 (final 95)  solved in 7m · 2 rounds · 1 hint',
      '· missing-env-var  beginner                  40/100  3 rounds · last tried 1h ago',
      '  stale-image-tag  intermediate                   –  not started',
      '',
      'next  missing-env-var (beginner) — Env',
      '      cd /labs/missing-env-var && breakfix status',
      '',
      'kept in /home/ada/.local/state/breakfix/progress.json; `breakfix progress --reset [<id>]` forgets it',
    ]);
  });

  it('breakfix alone: the labs up, progress, the last lab, the next scenario', () => {
    const text = homeLines(journey, plain, now).join('\n');
    expect(text).toContain('Labs up (1)\n  missing-env-var  active  /labs/missing-env-var');
    expect(text).toContain('Progress  1 of 3 solved in the breakfix course');
    expect(text).toContain('Last lab  missing-env-var, 1h ago, in /labs/missing-env-var');
    expect(text).toContain('next  missing-env-var (beginner) — Env\n      cd /labs/missing-env-var && breakfix status');
    const done = homeLines({ ...journey, next: undefined, solved: 3 }, plain, now).join('\n');
    expect(done).toContain('✓ every scenario of the course is solved');
  });
});

describe('a closed pipe', () => {
  it('ends the process as SIGPIPE would (141 when the signal cannot be sent)', () => {
    const calls: string[] = [];
    endOnClosedPipe({
      kill: (_pid, signal) => {
        calls.push(signal);
        throw new Error('not here');
      },
      exit: (code) => void calls.push(`exit ${code}`),
    });
    expect(calls).toEqual(['SIGPIPE', `exit ${CLOSED_PIPE_EXIT}`]);
    expect(isClosedPipe(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBe(true);
    expect(isClosedPipe(new Error('other'))).toBe(false);
  });
});
