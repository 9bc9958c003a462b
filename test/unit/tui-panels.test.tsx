/**
 * Each TUI panel on its own, rendered to a string at a given width: what it shows, that it
 * never exceeds its width or its row budget, and the marks that carry meaning without colour.
 */
import { renderToString } from 'ink';
import { describe, expect, it } from 'vitest';
import { emptyBoard, applyNotice } from '../../cli/tui/model.js';
import { BriefingPanel, briefingLines } from '../../cli/tui/panels/BriefingPanel.js';
import { ChecksPanel } from '../../cli/tui/panels/ChecksPanel.js';
import { FailurePanel } from '../../cli/tui/panels/FailurePanel.js';
import { Footer } from '../../cli/tui/panels/Footer.js';
import { Header } from '../../cli/tui/panels/Header.js';
import { HelpPanel } from '../../cli/tui/panels/HelpPanel.js';
import { HintsPanel } from '../../cli/tui/panels/HintsPanel.js';
import { ColorContext, Line, toneProps } from '../../cli/tui/panels/Line.js';
import { cleanLogLine, LogPanel } from '../../cli/tui/panels/LogPanel.js';
import { ProgressPanel } from '../../cli/tui/panels/ProgressPanel.js';
import { ServicesPanel } from '../../cli/tui/panels/ServicesPanel.js';
import { StatusLine } from '../../cli/tui/panels/StatusLine.js';
import { seg } from '../../cli/tui/segments.js';
import { brokenServices, check, makeView, report, T0 } from '../support/fake-lab-session.js';

function lines(output: string): string[] {
  return output.split('\n');
}

function expectWithin(output: string, width: number, rows: number): void {
  const rendered = lines(output);
  expect(rendered.length).toBeLessThanOrEqual(rows);
  for (const line of rendered) expect([...line].length, line).toBeLessThanOrEqual(width);
}

describe('Header', () => {
  it('shows state, elapsed time, score and title, cutting the title first', () => {
    const output = renderToString(
      <Header
        title="The API is up, but nobody can reach it at all, not even from inside"
        state="active"
        elapsedMs={192_000}
        report={report([check('a', true), check('b', false)])}
        width={60}
      />,
      { columns: 60 },
    );
    expect(output).toBe('breakfix · active · ⏱ 03:12 · score 50/100 · The API is up,…');
  });

  it('shows a dash before the first check and --:-- before the lab is up', () => {
    const output = renderToString(
      <Header title="t" state="building" elapsedMs={undefined} report={undefined} width={80} />,
      { columns: 80 },
    );
    expect(output).toBe('breakfix · building · ⏱ --:-- · score – · t');
  });
});

describe('BriefingPanel', () => {
  it('joins the markdown soft line breaks, drops emphasis and wraps to the width', () => {
    const output = renderToString(
      <BriefingPanel
        markdown={'Every request to the **published port** fails,\nand `docker ps` says *unhealthy*.\n\nFix it.'}
        kind="briefing"
        width={40}
        maxLines={8}
      />,
      { columns: 40 },
    );
    expect(lines(output)).toEqual([
      'Briefing',
      '  Every request to the published port',
      '  fails, and `docker ps` says unhealthy.',
      '',
      '  Fix it.',
    ]);
  });

  it('drops blank lines first when the text does not fit, then summarises the rest', () => {
    expect(briefingLines('one\n\ntwo\n\nthree', 40, 3)).toHaveLength(3);
    const output = renderToString(
      <BriefingPanel markdown={'one\n\ntwo\n\nthree\n\nfour'} kind="debrief" width={40} maxLines={3} />,
      { columns: 40 },
    );
    expect(lines(output)).toEqual(['Debrief — solved  ✓', '  one', '  two', '… 2 more (? shows it all)']);
  });
});

describe('ServicesPanel', () => {
  it('marks each service, shows state, restarts and published ports, and the followed one', () => {
    const output = renderToString(
      <ServicesPanel
        services={brokenServices()}
        host="127.0.0.1"
        logService="api"
        release={3}
        width={80}
        maxLines={5}
      />,
      { columns: 80 },
    );
    expect(lines(output)).toEqual([
      'Services  release 3',
      ' ✓ db       running healthy    ↻0',
      ' · migrate  exited (0)         ↻0',
      '▸✗ api      running unhealthy  ↻2  127.0.0.1:49153→8080',
    ]);
  });

  it('says when there are no containers yet, and calls a missing container "not created"', () => {
    expect(
      renderToString(
        <ServicesPanel
          services={[]}
          host="127.0.0.1"
          logService={undefined}
          release={undefined}
          width={40}
          maxLines={3}
        />,
        { columns: 40 },
      ),
    ).toContain('no containers yet');
    const absent = makeView().services.map((service) => ({ ...service, status: 'absent', ports: [] }));
    expect(
      renderToString(
        <ServicesPanel
          services={absent}
          host="127.0.0.1"
          logService={undefined}
          release={undefined}
          width={40}
          maxLines={3}
        />,
        { columns: 40 },
      ),
    ).toContain('· api      not created');
  });
});

describe('ChecksPanel', () => {
  it('shows ✓ ✗ ! with points and messages, and the round summary', () => {
    const graded = report([
      check('api-reachable', false),
      check('api-healthy', true),
      check('probe', false, { errored: true, status: 'errored', message: 'could not run: docker timeout' }),
    ]);
    const output = renderToString(<ChecksPanel report={graded} width={100} maxLines={4} />, { columns: 100 });
    const rendered = lines(output);
    expect(rendered[0]).toMatch(/^Checks {2}1 of 3 checks pass · 50\/150 {2}\d\d:\d\d:\d\d$/);
    expect(rendered[1]).toBe('✗ api-reachable   0/50  api-reachable: expected status 200, got connection refused');
    expect(rendered[2]).toBe('✓ api-healthy    50/50  api-healthy: answered 200');
    expect(rendered[3]).toBe('! probe           0/50  could not run: docker timeout');
  });

  it('invites a first check when there is none', () => {
    expect(renderToString(<ChecksPanel report={undefined} width={80} maxLines={2} />, { columns: 80 })).toContain(
      'no check yet: fix something, press a to apply, then c to check',
    );
  });

  it('cuts long messages at the width and extra checks into "… N more"', () => {
    const graded = report(
      Array.from({ length: 6 }, (_, index) => check(`check-${index}`, false, { message: 'x'.repeat(200) })),
    );
    const output = renderToString(<ChecksPanel report={graded} width={50} maxLines={3} />, { columns: 50 });
    expectWithin(output, 50, 4);
    expect(lines(output)[3]).toBe('… 4 more');
  });
});

describe('HintsPanel', () => {
  it('wraps a long hint instead of cutting it', () => {
    const view = makeView({
      hints: {
        revealed: ['What port does the app say it listens on? `breakfix logs api` shows its start-up line.'],
        unlocked: 1,
        total: 1,
      },
    });
    expect(lines(renderToString(<HintsPanel view={view} now={T0} width={50} maxLines={4} />, { columns: 50 }))).toEqual(
      [
        'Hints  1 of 1 revealed',
        '1. What port does the app say it listens on?',
        '   `breakfix logs api` shows its start-up line.',
      ],
    );
  });

  it('lists revealed hints, then how many wait to be revealed', () => {
    const view = makeView({
      attempts: 2,
      hints: { revealed: ['Read the **logs**.'], unlocked: 2, total: 3, nextRule: { elapsedMs: 600_000 } },
    });
    const output = renderToString(<HintsPanel view={view} now={T0} width={60} maxLines={3} />, { columns: 60 });
    expect(lines(output)).toEqual(['Hints  1 of 3 revealed', '1. Read the logs.', '1 hint unlocked: press h']);
  });

  it('says when the next hint unlocks: after failed rounds or time', () => {
    const view = makeView({
      attempts: 1,
      hints: { revealed: ['a'], unlocked: 1, total: 2, nextRule: { attempts: 2, elapsedMs: 300_000 } },
    });
    expect(
      renderToString(<HintsPanel view={view} now={T0 + 60_000} width={80} maxLines={3} />, { columns: 80 }),
    ).toContain('next hint after 1 more failed check round or in 4m');
  });
});

describe('ProgressPanel', () => {
  it('shows the stage and one line per service: build step and output while building', () => {
    let board = emptyBoard();
    board = applyNotice(board, { type: 'state', state: 'building', context: {} as never });
    board = applyNotice(board, {
      type: 'progress',
      progress: { phase: 'service', service: 'api', status: 'building' },
    });
    board = applyNotice(board, {
      type: 'progress',
      progress: {
        phase: 'build',
        service: 'migrate, api',
        event: { kind: 'step', step: 4, total: 9, instruction: 'RUN apt-get install -y curl' },
      },
    });
    board = applyNotice(board, {
      type: 'progress',
      progress: { phase: 'build', service: 'migrate, api', event: { kind: 'output', line: 'Setting up curl' } },
    });
    board = applyNotice(board, { type: 'progress', progress: { phase: 'service', service: 'db', status: 'ready' } });
    const output = renderToString(<ProgressPanel board={board} width={80} maxLines={4} />, { columns: 80 });
    // migrate shares the api's build; its own status has not been reported yet.
    expect(lines(output)).toEqual([
      'Progress  building images',
      'api      building    step 4/9 RUN apt-get install -y curl · Setting up curl',
      'migrate  waiting',
      'db       ready',
    ]);
  });

  it('counts confirmed symptoms', () => {
    let board = emptyBoard();
    board = applyNotice(board, {
      type: 'symptom',
      index: 0,
      outcome: { status: 'passed', message: '', durationMs: 1, attempts: 1 },
    });
    board = applyNotice(board, {
      type: 'symptom',
      index: 1,
      outcome: { status: 'passed', message: '', durationMs: 1, attempts: 1 },
    });
    expect(renderToString(<ProgressPanel board={board} width={80} maxLines={3} />, { columns: 80 })).toContain(
      '✓ symptoms: 2 observed',
    );
  });
});

describe('LogPanel', () => {
  it('keeps the last lines that fit and strips terminal control sequences', () => {
    const logLines = Array.from({ length: 10 }, (_, index) => `line ${index}`);
    logLines.push('\x1b[31mred\x1b[0m\tand a tab\r');
    const output = renderToString(
      <LogPanel service="api" lines={logLines} note={undefined} width={40} maxLines={3} />,
      { columns: 40 },
    );
    expect(lines(output)).toEqual(['Logs api  l: next service · / filter · …', 'line 8', 'line 9', 'red  and a tab']);
    expect(cleanLogLine('a\x07b')).toBe('ab');
  });

  it('says why it is empty', () => {
    expect(
      renderToString(
        <LogPanel
          service="migrate"
          lines={[]}
          note="the lab has no container for service migrate"
          width={60}
          maxLines={2}
        />,
        { columns: 60 },
      ),
    ).toContain('the lab has no container for service migrate');
  });
});

describe('StatusLine and Footer', () => {
  it('shows a spinner and the running action, and what keys do meanwhile', () => {
    const output = renderToString(
      <StatusLine model={{ activity: { action: 'apply', since: T0 } }} frame={0} now={T0 + 3_200} width={80} />,
      { columns: 80 },
    );
    expect(output).toBe('⠋ busy: applying your files 3s · keys that act are ignored until it finishes');
  });

  it('asks for the second press of a destructive key', () => {
    const output = renderToString(
      <StatusLine model={{ confirm: { command: 'stop', until: T0 + 1 } }} frame={0} now={T0} width={100} />,
      { columns: 100 },
    );
    expect(output).toBe('press s again to remove the lab and quit (your files stay); any other key cancels');
  });

  it('lists the keys in 80 columns', () => {
    const output = renderToString(<Footer busy={false} width={80} />, { columns: 80 });
    expect(output).toBe('c check  a apply  h hint  l logs  r reset  s stop  q quit  ? help');
  });
});

describe('HelpPanel and FailurePanel', () => {
  it('shows the whole briefing, then documents every key', () => {
    const output = renderToString(
      <HelpPanel
        width={100}
        maxLines={30}
        workspace="/tmp/ws"
        briefing={'Every request **fails**.\n\nFind out why.'}
      />,
      { columns: 100 },
    );
    for (const key of ['c', 'a', 'h', 'l', 'b', 'r', 's', 'q', '?', 'Ctrl-C'])
      expect(output).toMatch(new RegExp(`^  ${key.replace('?', '\\?')}  `, 'm'));
    expect(output).toMatch(/Help .*\nBriefing\n {2}Every request fails\.\n\n {2}Find out why\.\n\nKeys\n/);
  });

  it('wraps the failure reason and gives the next step', () => {
    const output = renderToString(
      <FailurePanel
        reason={'port 8080 is already taken by nginx (pid 4242), which was started long before this lab was'}
        next="free port 8080, then start the lab again"
        width={50}
        maxLines={8}
      />,
      { columns: 50 },
    );
    expect(output).toContain('✗ port 8080 is already taken by nginx (pid 4242),');
    expect(output).toContain('next: free port 8080, then start the lab again');
    expectWithin(output, 50, 9);
  });
});

describe('Line', () => {
  it('cuts to the width with an ellipsis', () => {
    expect(renderToString(<Line segments={[seg('abcdef'), seg('ghij', 'bad')]} width={6} />, { columns: 20 })).toBe(
      'abcde…',
    );
  });

  it('drops colours under NO_COLOR but keeps bold', () => {
    expect(toneProps('bad', false)).toEqual({});
    expect(toneProps('bold', false)).toEqual({ bold: true });
    expect(toneProps('bad', true)).toEqual({ color: 'red' });
    expect(
      renderToString(
        <ColorContext.Provider value={false}>
          <Line segments={[seg('✗', 'bad')]} width={5} />
        </ColorContext.Provider>,
      ),
    ).toBe('✗');
  });
});
