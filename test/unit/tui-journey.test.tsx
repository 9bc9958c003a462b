/**
 * The TUI's part of the learner's journey, key by key against the fake lab: the log pane
 * readable, filtered with `/`, scrolled with the arrows and back to following with End; a check
 * report marked stale once another release runs; the debrief with the learner's own timeline
 * and the next scenario of the course.
 */
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { logKeyEvents } from '../../cli/tui/log-keys.js';
import { initialModel, reduce } from '../../cli/tui/model.js';
import { openTui as open } from '../support/tui-harness.js';
import { T0 } from '../support/fake-lab-session.js';

afterEach(() => {
  cleanup();
});

const UP = '\x1b[A';
const END = '\x1b[F';
const ESC = '\x1b';

describe('the log pane', () => {
  it('shows JSON lines readable; / filters (keys type into the filter), Esc clears it', async () => {
    const { fake, until, press, frame } = open();
    fake.logLines.api = [
      '{"ts":"2026-01-05T10:00:01.000Z","level":"info","msg":"starting notes-api","version":"2.0.0"}',
      '{"ts":"2026-01-05T10:00:02.000Z","level":"fatal","msg":"DATABASE_NAME is not set","exit_code":3}',
    ];
    await until('DATABASE_NAME is not set');
    expect(frame()).toContain('10:00:02.000 fatal DATABASE_NAME is not set  exit_code=3');
    expect(frame()).not.toContain('{"ts"');

    await press('/');
    await until('Enter filters');
    // While typing, `c` is a letter of the filter, not the check key.
    for (const key of 'crea'.split('')) await press(key);
    await until('/crea▏');
    expect(fake.calls).not.toContain('CHECK');
    await press('\r');
    await until('/crea 0 of 2 lines');
    await until('no line contains "crea"');
    await press('/');
    for (let index = 0; index < 4; index += 1) await press('\x7f');
    for (const key of 'FATAL'.split('')) await press(key);
    await press('\r');
    await until('/FATAL 1 of 2 lines');
    expect(frame()).not.toContain('starting notes-api');
    await press(ESC);
    await until('starting notes-api');
    expect(frame()).not.toContain('/FATAL');
  });

  it('↑ scrolls up from the newest line, End follows again', async () => {
    const { fake, until, press, frame } = open();
    fake.logLines.api = Array.from({ length: 30 }, (_, index) => `{"level":"info","msg":"request ${index}"}`);
    await until('request 29');
    await press(UP);
    await press(UP);
    await until('↓ 2 more rows');
    expect(frame()).not.toContain('request 29');
    await press(END);
    await until('request 29');
    expect(frame()).not.toContain('more rows');
  });

  it('keys and reducer: scrolling stays within what there is; Esc closes the help before it clears a filter', () => {
    let model = reduce(initialModel('attach'), { type: 'log-scroll', by: 50, max: 7 });
    expect(model.logScroll).toBe(7);
    model = reduce(model, { type: 'log-scroll', by: -100, max: 7 });
    expect(model.logScroll).toBeUndefined();
    const pane = { pageRows: 5, maxScroll: 20 };
    expect(logKeyEvents({ help: false }, '', { pageUp: true }, 'page-up', pane).events).toEqual([
      { type: 'log-scroll', by: 4, max: 20 },
    ]);
    expect(logKeyEvents({ help: true, logFilter: 'x' }, '', { escape: true }, 'close', pane).consumed).toBe(false);
    expect(logKeyEvents({ help: false, logFilter: 'x' }, '', { escape: true }, 'close', pane).events).toEqual([
      { type: 'log-filter', filter: '' },
    ]);
    // Ctrl-C still interrupts while typing a filter.
    expect(logKeyEvents({ help: false, logFilterDraft: 'ab' }, 'c', { ctrl: true }, 'interrupt', pane).consumed).toBe(
      false,
    );
  });
});

describe('the checks and the debrief', () => {
  it('marks the last check stale once another release runs; a new round clears it', async () => {
    const { until, press, frame } = open();
    await until('Services');
    await press('c');
    await until('✗ api-reachable');
    await press('a');
    await until('release 2 is running');
    await until('stale: ran before this release');
    await press('c');
    await until('Debrief — solved');
    expect(frame()).not.toContain('stale');
  });

  it('once solved, the debrief names the next scenario and shows what the learner did', async () => {
    const { fake, until, press, frame } = open({
      size: { columns: 100, rows: 40 },
      nextAfter: async (id) => ({
        id: `after-${id}`,
        title: 'The next lab',
        difficulty: 'beginner',
        command: `breakfix start after-${id}`,
      }),
    });
    fake.timelineValue = {
      entries: [
        {
          at: new Date(T0).toISOString(),
          offsetMs: 0,
          kind: 'symptoms',
          text: 'the lab was up and broken: the symptoms showed',
        },
        {
          at: new Date(T0 + 95_000).toISOString(),
          offsetMs: 95_000,
          kind: 'apply',
          text: 'apply: release 2 is running',
        },
      ],
      startedAt: new Date(T0).toISOString(),
      solvedAt: new Date(T0 + 120_000).toISOString(),
      totalMs: 120_000,
    };
    await until('Services');
    await press('a');
    await until('release 2 is running');
    await press('c');
    await until('Debrief — solved');
    await until('Next: after-wrong-port (beginner) — The next lab → breakfix start after-wrong-port');
    await until('What you did (solved in 02:00):');
    expect(frame()).toContain('01:35 apply: release 2 is running');
  });
});
