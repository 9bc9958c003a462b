/**
 * The TUI's pure parts: the reducer, result messages, the layout budget and the key table.
 */
import { sessionResult } from '../../engine/index.js';
import { describe, expect, it } from 'vitest';
import { FOOTER_KEYS, KEY_BINDINGS, keyCommand } from '../../cli/tui/keys.js';
import { planLayout } from '../../cli/tui/layout.js';
import { describeResult, initialModel, reduce } from '../../cli/tui/model.js';
import { fitSegments, lineText, seg } from '../../cli/tui/segments.js';
import { check, makeContext, makeView, report, SCENARIO } from '../support/fake-lab-session.js';

const result = (overrides: Parameters<typeof makeContext>[0] = {}, state = 'active') =>
  sessionResult({ sessionId: 'abc123', workspace: '/tmp/ws' }, state, makeContext(overrides));

describe('reduce', () => {
  it('follows the service with a published port until the learner picks one', () => {
    let model = reduce(initialModel('attach'), { type: 'view', view: makeView() });
    expect(model.logService).toBe('api');
    model = reduce(model, { type: 'cycle-log' });
    expect(model.logService).toBe('db');
    model = reduce(model, { type: 'view', view: makeView() });
    expect(model.logService).toBe('db');
  });

  it('starts a fresh progress board for actions that deploy, not for checks', () => {
    let model = reduce(initialModel('attach'), {
      type: 'notice',
      notice: { type: 'progress', progress: { phase: 'service', service: 'api', status: 'ready' } },
    });
    expect(Object.keys(model.board.services)).toEqual(['api']);
    model = reduce(model, { type: 'begin', action: 'check', now: 0 });
    expect(Object.keys(model.board.services)).toEqual(['api']);
    model = reduce(model, { type: 'begin', action: 'apply', now: 0 });
    expect(model.board.services).toEqual({});
  });

  it('leaves the starting phase when the lab is up, and records the failure when it is not', () => {
    const starting = initialModel('start');
    expect(starting.phase).toBe('starting');
    expect(reduce(starting, { type: 'done', action: 'start', result: result() }).phase).toBe('ready');
    const failed = reduce(starting, { type: 'start-failed', reason: 'no', next: 'yes' });
    expect(failed).toMatchObject({ phase: 'failed', failure: { reason: 'no', next: 'yes' } });
    expect(failed.activity).toBeUndefined();
  });

  it('a new action clears the pending confirmation and the last message', () => {
    let model = reduce(initialModel('attach'), { type: 'confirm', command: 'reset', until: 10 });
    model = reduce(model, { type: 'message', message: { tone: 'info', text: 'x' } });
    model = reduce(model, { type: 'begin', action: 'check', now: 0 });
    expect(model.confirm).toBeUndefined();
    expect(model.message).toBeUndefined();
  });
});

describe('a finished action', () => {
  it('shows its outcome at once, before the next poll: state, report, release, no longer busy', () => {
    let model = reduce(initialModel('attach'), {
      type: 'view',
      view: makeView({ busy: { state: 'checking', pid: 1, since: '' } }),
    });
    const graded = report([check('a', true)]);
    model = reduce(model, {
      type: 'done',
      action: 'check',
      result: result({ lastReport: graded, release: 2 }, 'passed'),
    });
    expect(model.view).toMatchObject({ state: 'passed', lastReport: graded, release: 2 });
    expect(model.view?.busy).toBeUndefined();
  });
});

describe('describeResult', () => {
  it('summarises a check round and notices a newly unlocked hint', () => {
    const graded = report([check('a', true), check('b', false)]);
    expect(describeResult('check', result({ lastReport: graded, hintsUnlocked: 1 }), makeContext(), SCENARIO)).toEqual({
      tone: 'warn',
      text: '1 of 2 checks pass · 50/100 · a new hint is unlocked: press h',
    });
    expect(
      describeResult('check', result({ lastReport: report([check('a', true)]) }), makeContext(), SCENARIO)?.tone,
    ).toBe('ok');
    expect(
      describeResult(
        'check',
        result({ lastFailure: { during: 'checking', kind: 'environment', message: 'docker went away\nstack' } }),
        makeContext(),
        SCENARIO,
      ),
    ).toEqual({ tone: 'error', text: 'the checks could not run: docker went away' });
  });

  it('reports a release or the first line of why it failed', () => {
    expect(describeResult('apply', result({ release: 4 }), undefined, SCENARIO)?.text).toBe(
      'release 4 is running · press c to check',
    );
    expect(
      describeResult(
        'rollback',
        result({
          lastFailure: { during: 'rollingBack', kind: 'usage', message: 'there is no earlier release to roll back to' },
        }),
        undefined,
        SCENARIO,
      )?.text,
    ).toBe('rollback failed: there is no earlier release to roll back to');
  });

  it('names an escalation by its title when a tick fires it', () => {
    const before = makeContext({ deadlines: [{ kind: 'escalation', index: 0, dueAt: 1, done: false }] });
    const after = result({ deadlines: [{ kind: 'escalation', index: 0, dueAt: 1, done: true }] });
    expect(describeResult('tick', after, before, SCENARIO)?.text).toBe(
      'the incident got worse: the database runs out of connections',
    );
    expect(describeResult('tick', result(), makeContext(), SCENARIO)).toBeUndefined();
  });
});

describe('planLayout', () => {
  const wants = { briefing: 6, services: 3, checks: 4, hints: 1 };
  const total = (layout: ReturnType<typeof planLayout>) =>
    3 + 5 + layout.briefing + layout.services + layout.checks + layout.hints + layout.logs;

  it('fits 80×24 in one column, with at least three log lines', () => {
    const layout = planLayout({ columns: 80, rows: 24 }, wants);
    expect(layout.twoColumns).toBe(false);
    expect(layout).toMatchObject({ services: 3, checks: 4, hints: 1 });
    expect(layout.logs).toBeGreaterThanOrEqual(3);
    expect(total(layout)).toBeLessThanOrEqual(23);
  });

  it('gives a taller terminal more briefing and more logs', () => {
    const small = planLayout({ columns: 80, rows: 24 }, wants);
    const tall = planLayout({ columns: 80, rows: 50 }, wants);
    expect(tall.briefing).toBe(6);
    expect(tall.logs).toBeGreaterThan(small.logs);
    expect(total(tall)).toBeLessThanOrEqual(49);
  });

  it('puts logs in their own full-height column from 120 columns', () => {
    const layout = planLayout({ columns: 160, rows: 40 }, wants);
    expect(layout).toMatchObject({ twoColumns: true, mainWidth: 88, sideWidth: 71, logs: 35 });
  });

  it('never exceeds a tiny terminal', () => {
    const layout = planLayout({ columns: 40, rows: 12 }, { briefing: 20, services: 6, checks: 9, hints: 4 });
    expect(total(layout)).toBeLessThanOrEqual(13);
    expect(layout.services).toBeGreaterThanOrEqual(1);
  });

  it('lets the debrief take the hints’ rows once solved', () => {
    const layout = planLayout({ columns: 80, rows: 24 }, { ...wants, briefing: 12, briefingFirst: true });
    expect(layout.hints).toBe(0);
    expect(layout.briefing).toBeGreaterThan(planLayout({ columns: 80, rows: 24 }, { ...wants, briefing: 12 }).briefing);
  });
});

describe('keys', () => {
  it('maps every documented key, Ctrl-C and Escape', () => {
    for (const binding of KEY_BINDINGS) expect(keyCommand(binding.key, {})).toBe(binding.command);
    expect(keyCommand('c', { ctrl: true })).toBe('interrupt');
    expect(keyCommand('\x03', {})).toBe('interrupt');
    expect(keyCommand('', { escape: true })).toBe('close');
    expect(keyCommand('x', {})).toBeUndefined();
    expect(keyCommand('a', { ctrl: true })).toBeUndefined();
  });

  it('shows the keys the brief asks for in the footer', () => {
    expect(
      FOOTER_KEYS.map((command) => KEY_BINDINGS.find((binding) => binding.command === command)?.key).join(''),
    ).toBe('cahlrsq?');
  });
});

describe('segments', () => {
  it('fits lines across segments, keeping tones', () => {
    const fitted = fitSegments([seg('abc', 'ok'), seg('def', 'bad')], 5);
    expect(lineText(fitted)).toBe('abcd…');
    expect(fitted[0]?.tone).toBe('ok');
    expect(fitSegments([seg('ab')], 5)).toEqual([seg('ab')]);
  });
});
