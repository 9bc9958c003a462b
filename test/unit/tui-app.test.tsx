/**
 * The TUI as a whole, driven key by key against a fake lab (ink-testing-library): every key of
 * the footer, the busy indicator, start progress and cancellation, failures, timers, layouts.
 */

import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { FakeLabSession, makeContext, T0 } from '../support/fake-lab-session.js';
import { openTui as open } from '../support/tui-harness.js';

afterEach(() => {
  cleanup();
});

describe('TUI attached to a running lab', () => {
  it('fits 80×24: header, briefing, services with ports, checks, hints, logs, status and keys', async () => {
    const { frame, until } = open();
    await until('127.0.0.1:49153→8080');
    await until('listening');
    const lines = frame().split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
    expect(lines[0]).toContain('breakfix · active · ⏱ 01:15 · score –');
    expect(frame()).toContain('Briefing');
    expect(frame()).toContain('published port fails, and `docker ps` says');
    expect(frame()).toMatch(/✗ api\s+running unhealthy\s+↻2/);
    expect(frame()).toMatch(/· migrate\s+exited \(0\)/);
    expect(frame()).toContain('no check yet');
    expect(frame()).toContain('Logs api');
    expect(frame()).toContain('c check  a apply  h hint  l logs  r reset  s stop  q quit  ? help');
  });

  it('c runs the checks and shows ✗ rows, the score and a freshly unlocked hint', async () => {
    const { fake, until, press, frame } = open();
    await until('Services');
    await press('c');
    await until('✗ api-reachable');
    expect(fake.calls).toContain('CHECK');
    expect(frame()).toContain('0 of 2 checks pass · 0/100');
    await until('a new hint is unlocked: press h');
    await until('1 hint unlocked: press h');
  });

  it('h says when the next hint comes while none is unlocked, and reveals one once unlocked', async () => {
    const { fake, until, press } = open();
    await until('Services');
    await press('h');
    await until('no hint unlocked yet: next hint after 1 more failed check round');
    expect(fake.calls).not.toContain('HINT');
    await press('c');
    await until('1 hint unlocked');
    await press('h');
    await until('1. What port does the app say it listens on?');
    expect(fake.calls).toContain('HINT');
  });

  it('a applies (progress while deploying), then c passes and the debrief replaces the briefing', async () => {
    const { fake, until, press, frame } = open();
    await until('Services');
    const release = fake.hold('APPLY');
    await press('a');
    await until('Progress');
    await until('busy: applying your files');
    release();
    await until('release 2 is running');
    await press('c');
    await until('Debrief — solved');
    expect(frame()).toContain('The app listened on 9090');
    expect(frame()).toContain('score 100/100');
    expect(frame()).toContain('solved: 2 of 2 checks pass');
    expect(fake.calls).toEqual(expect.arrayContaining(['APPLY', 'CHECK']));
  });

  it('ignores keys that act while an action runs, and says so', async () => {
    const { fake, until, press } = open();
    await until('Services');
    const release = fake.hold('APPLY');
    await press('a');
    await until('busy: applying your files');
    await press('c');
    await until('c ignored');
    await press('a');
    expect(fake.calls.filter((call) => call === 'APPLY')).toHaveLength(1);
    expect(fake.calls).not.toContain('CHECK');
    await press('q');
    await until('q works once it finishes');
    release();
    await until('release 2 is running');
  });

  it('l switches the followed service', async () => {
    const { until, press, frame } = open();
    await until('Logs api');
    await until('0.0.0.0:9090');
    expect(frame()).toMatch(/▸✗ api/);
    await press('l');
    await until('Logs db');
    await until('ready to accept connections');
    expect(frame()).toMatch(/▸✓ db/);
    await press('l');
    await until('Logs migrate');
    await until('the lab has no container for service migrate');
  });

  it('r needs a second press; any other key cancels it', async () => {
    const { fake, until, press, frame } = open();
    await until('Services');
    await press('r');
    await until('press r again to reset the lab');
    await press('l');
    await vi.waitFor(() => expect(frame()).not.toContain('press r again'));
    await press('r');
    await until('press r again');
    await press('r');
    await until('the lab is back to its broken start');
    expect(fake.calls.filter((call) => call === 'RESET')).toHaveLength(1);
  });

  it('s twice removes the lab and ends with "stopped"', async () => {
    const { fake, until, press, outcomes } = open();
    await until('Services');
    await press('s');
    await until('press s again to remove the lab and quit');
    expect(fake.calls).not.toContain('STOP');
    await press('s');
    await vi.waitFor(() => expect(outcomes).toEqual([{ kind: 'stopped' }]));
    expect(fake.calls).toContain('STOP');
  });

  it('q quits and leaves the lab running', async () => {
    const { fake, until, press, outcomes } = open();
    await until('Services');
    await press('q');
    await vi.waitFor(() => expect(outcomes).toEqual([{ kind: 'left-running' }]));
    expect(fake.calls).not.toContain('STOP');
  });

  it('? shows every key with what it does, and closes again', async () => {
    const { until, press, frame } = open();
    await until('Services');
    await press('?');
    await until('Help');
    expect(frame()).toContain('return to the previous release');
    expect(frame()).toContain('quit and leave the lab running');
    expect(frame()).not.toContain('Services');
    await press('?');
    await until('Services');
  });

  it('b rolls back', async () => {
    const { fake, until, press } = open();
    await until('Services');
    await press('b');
    await until('release 2 is running');
    expect(fake.calls).toContain('ROLLBACK');
  });

  it('a failed apply shows the reason and keeps the session usable', async () => {
    const fake = new FakeLabSession();
    fake.handlers.APPLY = (self) => {
      self.context = {
        ...self.context,
        lastFailure: {
          during: 'applying',
          kind: 'workspace',
          message: 'compose.yaml:12:5: services.api.ports[0]: "80800" is not a port\nmore detail',
        },
      };
      return self.result('active');
    };
    const { until, press, frame } = open({ fake });
    await until('Services');
    await press('a');
    await until('apply failed: compose.yaml:12:5');
    expect(frame()).not.toContain('more detail');
    await press('c');
    await until('✗ api-reachable');
  });

  it('an engine error (the session is busy in another terminal) is shown with its next step', async () => {
    const fake = new FakeLabSession();
    fake.handlers.CHECK = () => {
      throw Object.assign(new Error('the session is busy: applying since 10:00 (pid 42)'), {
        hint: 'wait for it to finish, then try again',
      });
    };
    const { until, press } = open({ fake });
    await until('Services');
    await press('c');
    await until('the session is busy: applying since 10:00 (pid 42) (wait for it to finish');
  });

  it('fires a due hint deadline with a tick and announces the hint', async () => {
    const fake = new FakeLabSession();
    let now = T0 + 10_000;
    fake.context = makeContext({ deadlines: [{ kind: 'hint', index: 0, dueAt: T0 + 10_100, done: false }] });
    fake.handlers.TICK = (self) => {
      const due = self.context.deadlines.some((deadline) => !deadline.done && deadline.dueAt <= now);
      if (due) {
        self.context = {
          ...self.context,
          hintsUnlocked: 1,
          deadlines: self.context.deadlines.map((deadline) => ({ ...deadline, done: true })),
        };
        self.unlockHints(1);
      }
      return self.result('active');
    };
    const { until } = open({ fake, now: () => now });
    await until('Services');
    now = T0 + 20_000;
    await until('a new hint is unlocked: press h');
    expect(fake.calls.filter((call) => call === 'TICK').length).toBeGreaterThanOrEqual(2);
  });

  it('announces an escalation stage by its title', async () => {
    const fake = new FakeLabSession();
    fake.context = makeContext({ deadlines: [{ kind: 'escalation', index: 0, dueAt: T0, done: false }] });
    fake.handlers.TICK = (self) => {
      self.context = {
        ...self.context,
        deadlines: self.context.deadlines.map((deadline) => ({ ...deadline, done: true })),
      };
      return self.result('active');
    };
    const { until } = open({ fake });
    await until('the incident got worse: the database runs out of connections');
  });

  it('updates the services panel as containers change, without a key press', async () => {
    const { fake, until } = open();
    await until(/✗ api\s+running unhealthy\s+↻2/);
    fake.view = {
      ...fake.view,
      services: fake.view.services.map((entry) =>
        entry.name === 'api' ? { ...entry, status: 'restarting', restarts: 3 } : entry,
      ),
    };
    await until(/✗ api\s+restarting\s+↻3/);
  });

  it('says so when the lab cannot be read several times in a row', async () => {
    const fake = new FakeLabSession();
    const { until } = open({ fake });
    await until('Services');
    fake.describe = async () => {
      throw new Error('Docker is not reachable: connect ENOENT /var/run/docker.sock');
    };
    await until('cannot read the lab: Docker is not reachable');
  });

  it('shows a lab in error with the reason and offers reset / stop / quit', async () => {
    const fake = new FakeLabSession();
    fake.view = {
      ...fake.view,
      state: 'error',
      error: {
        during: 'deploying',
        kind: 'environment',
        message: 'db: image breakfix/postgres:15 is not available locally',
      },
    };
    const { until, press, outcomes } = open({ fake });
    await until('The lab did not come up');
    await until('db: image breakfix/postgres:15 is not available locally');
    await press('c');
    await until('the lab is not up: r starts over, s removes it, q quits');
    expect(fake.calls).not.toContain('CHECK');
    await press('q');
    await vi.waitFor(() =>
      expect(outcomes[0]).toMatchObject({
        kind: 'failed',
        reason: 'db: image breakfix/postgres:15 is not available locally',
      }),
    );
  });
});
