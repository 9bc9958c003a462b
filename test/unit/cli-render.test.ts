/**
 * The plain-text renderers behind `start`, `status`, `check`, `watch`, `list`, `verify` and
 * `gc`: readable without colour, colour only when asked for.
 */
import { describe, expect, it } from 'vitest';
import type { SessionNotice } from '../../engine/index.js';
import { checkReportLines, reportSummary } from '../../cli/render/check-report.js';
import { createProgressPrinter, describeNotice } from '../../cli/render/progress.js';
import { gcReportLines, scenarioListLines, verifyJsonEntry, verifyResultLines } from '../../cli/render/reports.js';
import { describePorts, serviceLines, serviceVerdict } from '../../cli/render/services.js';
import { nextSteps, startSummaryLines } from '../../cli/render/start-summary.js';
import { hintLines, nextHintRule, statusLines } from '../../cli/render/status.js';
import { createStyle, plain } from '../../cli/render/style.js';
import { formatDuration, formatElapsed, plainMarkdown, truncate, wrap } from '../../cli/render/text.js';
import { watchRoundLines } from '../../cli/render/watch.js';
import { brokenServices, check, makeContext, makeView, report, service, T0 } from '../support/fake-lab-session.js';

const ANSI = /\x1b\[/;

describe('text helpers', () => {
  it('truncates by characters with an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('abc', 0)).toBe('');
  });

  it('wraps words, keeps blank lines and hangs list items', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('a\n\nb', 10)).toEqual(['a', '', 'b']);
    expect(wrap('- first item wraps here', 12)).toEqual(['- first item', '  wraps here']);
    expect(wrap('averyveryverylongword', 8)).toEqual(['averyve…']);
  });

  it('turns markdown into terminal text: soft breaks joined, emphasis dropped, lists kept', () => {
    expect(plainMarkdown('# Title\nThe **api** is\n*down*.\n\n- one\n- two `code`\n\n```sh\ncurl x\ncurl y\n```')).toBe(
      'Title\nThe api is down.\n\n- one\n- two `code`\n\ncurl x\ncurl y',
    );
    expect(plainMarkdown('see [the docs](https://x.y)')).toBe('see the docs (https://x.y)');
  });

  it('formats clocks and durations', () => {
    expect(formatElapsed(192_000)).toBe('03:12');
    expect(formatElapsed(3_725_000)).toBe('1:02:05');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(150_000)).toBe('3m');
    expect(formatDuration(3_900_000)).toBe('1h 5m');
  });
});

describe('progress lines', () => {
  const state = (name: string): SessionNotice => ({ type: 'state', state: name, context: makeContext() });

  it('labels busy states, never describes faults, and skips resting states', () => {
    expect(describeNotice(state('building'), plain)).toBe('→ building images');
    expect(describeNotice(state('active'), plain)).toBeUndefined();
    expect(
      describeNotice({ type: 'fault', phase: 'workspace', fault: 'env.set', description: 'API_PORT=9090' }, plain),
    ).toBeUndefined();
    expect(
      describeNotice(
        { type: 'progress', progress: { phase: 'service', service: 'api', status: 'waiting', detail: 'db healthy' } },
        plain,
      ),
    ).toBe('  api: waiting (db healthy)');
    expect(
      describeNotice(
        { type: 'symptom', index: 1, outcome: { status: 'passed', message: '', durationMs: 1, attempts: 1 } },
        plain,
      ),
    ).toBe('  ✓ symptom 2 observed');
  });

  it('condenses a build into one line plus a line per slow step, with its duration', () => {
    const written: string[] = [];
    let clock = 0;
    const printer = createProgressPrinter(
      (text) => written.push(text),
      plain,
      () => clock,
    );
    const step = (n: number, instruction: string): SessionNotice => ({
      type: 'progress',
      progress: { phase: 'build', service: 'migrate, api', event: { kind: 'step', step: n, total: 4, instruction } },
    });
    printer.onNotice({ type: 'progress', progress: { phase: 'service', service: 'api', status: 'building' } });
    printer.onNotice(step(1, 'FROM breakfix/python:3.11'));
    clock += 100;
    printer.onNotice(step(2, 'RUN apt-get install -y curl'));
    clock += 12_300;
    printer.onNotice(step(3, 'COPY app/ ./app/'));
    clock += 50;
    printer.onNotice({
      type: 'progress',
      progress: { phase: 'build', service: 'migrate, api', event: { kind: 'output', line: 'noise' } },
    });
    printer.onNotice(step(4, 'CMD ["python3"]'));
    clock += 2_000;
    printer.onNotice({
      type: 'progress',
      progress: { phase: 'service', service: 'migrate', status: 'built', detail: 'e0280bcf0389' },
    });
    printer.onNotice({
      type: 'progress',
      progress: { phase: 'service', service: 'api', status: 'built', detail: 'e0280bcf0389' },
    });
    expect(written.join('')).toBe(
      [
        '  migrate, api: building image (4 steps)',
        '  migrate, api: step 2/4 RUN apt-get install -y curl (12.3 s)',
        '  migrate, api: step 4/4 CMD ["python3"] (2.0 s)',
        '  migrate: built (e0280bcf0389)',
        '  api: built (e0280bcf0389)',
        '',
      ].join('\n'),
    );
  });

  it('drops a line identical to the previous one', () => {
    const written: string[] = [];
    const printer = createProgressPrinter((text) => written.push(text), plain);
    printer.onNotice(state('checking'));
    printer.onNotice(state('checking'));
    expect(written).toEqual(['→ running the checks\n']);
  });
});

describe('check report', () => {
  it('prints ✓ ✗ ! rows with points, messages, hints under failures and a summary', () => {
    const graded = report([
      check('api-reachable', false, { hint: 'Compare the ports.' }),
      check('api-healthy', true),
      check('probe', false, { errored: true, status: 'errored', message: 'could not run: timeout' }),
    ]);
    expect(checkReportLines(graded, plain)).toEqual([
      '✗ api-reachable   0/50  api-reachable: expected status 200, got connection refused',
      '    hint: Compare the ports.',
      '✓ api-healthy    50/50  api-healthy: answered 200',
      '! probe           0/50  could not run: timeout',
      "    the checker could not run this check; that is not your fix's fault",
      '1 of 3 checks pass · 50/150',
    ]);
    expect(checkReportLines(graded, plain, { hints: false })).not.toContain('    hint: Compare the ports.');
  });

  it('says solved when every check passes', () => {
    expect(checkReportLines(report([check('a', true)]), plain).at(-1)).toBe('✓ 1 of 1 check pass · 50/50 — solved');
    expect(reportSummary(report([check('a', true), check('b', true)]))).toBe('2 of 2 checks pass · 100/100');
  });

  it('uses colour only when the style has it', () => {
    const lines = checkReportLines(report([check('a', false)]), createStyle(true));
    expect(lines.some((line) => ANSI.test(line))).toBe(true);
    expect(checkReportLines(report([check('a', false)]), plain).some((line) => ANSI.test(line))).toBe(false);
  });
});

describe('services', () => {
  it('judges a service: one-shot jobs that exited 0 are done, unhealthy is bad', () => {
    expect(serviceVerdict(service('db'))).toBe('ok');
    expect(serviceVerdict(service('api', { health: 'unhealthy' }))).toBe('bad');
    expect(serviceVerdict(service('api', { health: 'starting' }))).toBe('pending');
    expect(serviceVerdict(service('migrate', { status: 'exited', exitCode: 0 }))).toBe('done');
    expect(serviceVerdict(service('migrate', { status: 'exited', exitCode: 1 }))).toBe('bad');
    expect(serviceVerdict(service('api', { status: 'restarting' }))).toBe('bad');
  });

  it('prints state, restarts and published ports on the host that answers', () => {
    expect(serviceLines(brokenServices(), '127.0.0.1', plain)).toEqual([
      '✓ db       running healthy    restarts 0',
      '· migrate  exited (0)         restarts 0',
      '✗ api      running unhealthy  restarts 2  127.0.0.1:49153→8080',
    ]);
    expect(describePorts(service('dns', { ports: [{ container: 53, host: 5353, protocol: 'udp' }] }), '10.0.0.5')).toBe(
      '10.0.0.5:5353→53/udp',
    );
  });
});

describe('start summary', () => {
  const summary = {
    scenarioId: 'wrong-port',
    title: 'The API is up, but nobody can reach it',
    briefing: 'Every request\nfails.',
    workspace: '/home/me/wrong-port',
    sessionId: 'abc123',
    seed: 7,
    services: brokenServices(),
    host: '127.0.0.1',
  };

  it('prints workspace, briefing, services, ports and next steps', () => {
    const text = startSummaryLines(summary, plain, { cwd: '/home/me', width: 80 }).join('\n');
    expect(text).toContain('workspace  /home/me/wrong-port');
    expect(text).toContain('session    abc123 (scenario wrong-port, seed 7)');
    expect(text).toContain('Briefing\n  Every request fails.');
    expect(text).toContain('api  127.0.0.1:49153→8080');
    expect(text).toContain('cd /home/me/wrong-port');
    expect(text).toMatch(/breakfix logs api\s+what api says/);
    expect(text).toContain('curl -i http://127.0.0.1:49153/');
    expect(text).toMatch(/breakfix check\s+grade the lab/);
    expect(text).toMatch(/breakfix stop\s+remove the lab/);
  });

  it('leaves out `cd` when already in the workspace', () => {
    expect(nextSteps(summary, '/home/me/wrong-port').map(([command]) => command)).not.toContain(
      'cd /home/me/wrong-port',
    );
  });
});

describe('status', () => {
  it('shows state, where, services, the last check and hints', () => {
    const view = makeView({
      attempts: 1,
      lastReport: report([check('api-reachable', false)]),
      hints: { revealed: ['Read the logs.'], unlocked: 1, total: 2, nextRule: { attempts: 2 } },
    });
    const text = statusLines(view, '127.0.0.1', plain, T0 + 90_000).join('\n');
    expect(text).toContain('wrong-port · The API is up, but nobody can reach it');
    expect(text).toContain('state      active, release 1, 1 failed check round');
    expect(text).toContain('elapsed 01:30');
    expect(text).toContain('✗ api      running unhealthy  restarts 2  127.0.0.1:49153→8080');
    expect(text).toContain('✗ api-reachable  0/50');
    expect(text).toContain('1. Read the logs.');
    expect(text).toContain('next hint after 1 more failed check round');
  });

  it('shows who is busy and why the session is in error', () => {
    const view = makeView({
      busy: { state: 'applying', pid: 42, since: new Date(T0).toISOString() },
      error: { during: 'deploying', kind: 'environment', message: 'boom\ndetail' },
    });
    const text = statusLines(view, '127.0.0.1', plain, T0).join('\n');
    expect(text).toContain('state      applying (applying the workspace (build + redeploy), pid 42)');
    expect(text).toContain('error      boom (while deploying)');
    expect(text).not.toContain('detail');
  });

  it('words the next hint rule by attempts and by time', () => {
    const view = makeView({
      attempts: 0,
      hints: { revealed: [], unlocked: 0, total: 1, nextRule: { elapsedMs: 300_000 } },
    });
    expect(nextHintRule(view, T0 + 60_000)).toBe('next hint in 4m');
    expect(hintLines(makeView({ hints: { revealed: [], unlocked: 1, total: 1 } }), T0, plain)).toEqual([
      '1 hint unlocked: run `breakfix hint`',
    ]);
  });
});

describe('watch rounds', () => {
  it('prints what changed, the release and only the failing checks', () => {
    const lines = watchRoundLines(
      {
        at: new Date(T0),
        changed: ['.env'],
        applied: true,
        release: 3,
        report: report([check('a', true), check('b', false)]),
      },
      plain,
    );
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d {2}\.env changed$/);
    expect(lines.slice(1)).toEqual([
      '  ✓ applied: release 3',
      '  ✗ 1 of 2 checks pass · 50/100',
      '    ✗ b: b: expected status 200, got connection refused',
    ]);
  });

  it('says why a round stopped early', () => {
    expect(
      watchRoundLines(
        {
          at: new Date(T0),
          changed: ['a', 'b', 'c', 'd', 'e'],
          applied: false,
          release: 2,
          failure: 'compose.yaml:3:1: bad',
        },
        plain,
      ),
    ).toEqual([expect.stringContaining('a, b, c and 2 more changed'), '  ✗ apply failed: compose.yaml:3:1: bad']);
  });
});

describe('list, verify, gc', () => {
  it('lists scenarios with difficulty and tags', () => {
    const lines = scenarioListLines(
      [{ id: 'wrong-port', title: 'Wrong port', difficulty: 'beginner', tags: ['ports'], dir: '/x' }],
      plain,
    );
    expect(lines[0]).toBe('wrong-port  beginner  Wrong port  [ports]');
    expect(scenarioListLines([], plain)).toEqual(['no scenarios yet (scenarios/ is empty)']);
  });

  it('keeps the contract fields of verify --json and explains a failed verification', () => {
    const result = {
      id: 'x',
      ok: false,
      symptomsObserved: true,
      failedBeforeFix: true,
      wrongFixesRejected: [{ title: 'publish 9090', rejected: false, score: 100 }],
      fixes: [],
      checks: [{ id: 'api-healthy', rejects: [], alone: [] }],
      leaks: [{ check: 'api-healthy', value: 'notes-api:2.0.0', where: 'the broken lab' }],
      solutionPassed: false,
      leaked: 1,
      seconds: 141.2,
      budgetSeconds: 120,
      error: 'the solution did not pass',
    };
    expect(verifyJsonEntry(result)).toMatchObject({
      id: 'x',
      ok: false,
      symptomsObserved: true,
      solutionPassed: false,
      leaked: 1,
      seconds: 141.2,
      overBudget: true,
    });
    const text = verifyResultLines(result, plain).join('\n');
    expect(text).toContain('✗ x  141.2 s (over the 120 s budget)');
    expect(text).toContain('api-healthy prints "notes-api:2.0.0" (the broken lab)');
    expect(text).toContain('check api-healthy rejected none of the wrong fixes');
    expect(text).toContain('✗ wrong fix rejected: publish 9090 (scored 100)');
    expect(text).toContain('✗ nothing left behind (1 resource leaked)');
  });

  it('reports what gc removed and which live sessions it kept', () => {
    expect(gcReportLines({ removed: [], kept: [], restored: [], skipped: [] }, plain)).toEqual(['nothing to remove']);
    const lines = gcReportLines(
      {
        removed: [{ kind: 'container', name: 'bf-x-api', session: 'x' }],
        kept: [{ session: 'y', workspace: '/w' }],
        restored: [],
        skipped: [{ session: 'z', reason: 'network bf-z-default has active endpoints' }],
      },
      plain,
    );
    expect(lines[0]).toBe('removed 1 resource of 1 abandoned session:');
    expect(lines).toContain('kept session y: it is live in /w (`breakfix stop` there removes it)');
    expect(lines.at(-1)).toBe(
      'left part of session z for the next `breakfix gc`: network bf-z-default has active endpoints',
    );
  });
});
