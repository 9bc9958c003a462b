/**
 * The CLI's small policies: colour and TTY detection, errors turned into a reason and a next
 * step, port holders, which saved files `watch` reacts to and how it batches them, deadlines.
 */
import { describe, expect, it, vi } from 'vitest';
import { newEscalation, nextDeadlineAt as nextDeadline } from '../../engine/index.js';
import { explainSessionError, firstLine } from '../../cli/shared/explain.js';
import { parseSeed } from '../../cli/shared/options.js';
import { describePortHolder } from '../../cli/shared/port-holder.js';
import { colorEnabled, isInteractiveSession } from '../../cli/shared/terminal.js';
import { createRoundScheduler, isIgnoredPath } from '../../cli/shared/watch-rounds.js';
import { makeContext } from '../support/fake-lab-session.js';

describe('terminal', () => {
  it('colours a TTY unless NO_COLOR is set to something, or TERM is dumb', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('opens the TUI only with a person at a terminal', () => {
    expect(isInteractiveSession({ isTTY: true }, { isTTY: true }, {})).toBe(true);
    expect(isInteractiveSession({ isTTY: false }, { isTTY: true }, {})).toBe(false);
    expect(isInteractiveSession({ isTTY: true }, { isTTY: false }, {})).toBe(false);
    expect(isInteractiveSession({ isTTY: true }, { isTTY: true }, { CI: 'true' })).toBe(false);
  });
});

describe('explainSessionError', () => {
  const noLookup = async () => undefined;

  it('names the command that builds a missing image', async () => {
    const why = await explainSessionError(
      { during: 'deploying', kind: 'environment', message: 'db: image breakfix/postgres:15 is not available locally' },
      'wrong-port',
      noLookup,
    );
    expect(why).toEqual({
      reason: 'db: image breakfix/postgres:15 is not available locally',
      next: 'run `breakfix images`, then start the lab again',
    });
  });

  it('says which port is taken and by what', async () => {
    const message =
      '(HTTP code 500) server error - driver failed programming external connectivity on endpoint bf-x-api: Bind for 127.0.0.1:8080 failed: port is already allocated';
    const why = await explainSessionError(
      { during: 'deploying', kind: 'environment', message },
      'wrong-port',
      async (port) => (port === 8080 ? 'nginx (pid 77)' : undefined),
    );
    expect(why).toEqual({
      reason: 'port 8080 is already taken by nginx (pid 77)',
      next: 'free port 8080 (or stop what holds it), then start the lab again',
    });
  });

  it('calls a scenario whose symptoms never showed a scenario bug, not the learner’s', async () => {
    const why = await explainSessionError(
      { during: 'confirming', kind: 'scenario', message: 'symptoms not observed: symptom 1 (http): answered 200' },
      'wrong-port',
      noLookup,
    );
    expect(why.reason).toBe('scenario wrong-port is broken: symptoms not observed: symptom 1 (http): answered 200');
    expect(why.next).toContain('`breakfix verify wrong-port` reproduces it');
  });

  it('keeps one line of a long message', async () => {
    expect(firstLine('api: the image build failed\nStep 3/9 : RUN false\n...')).toBe('api: the image build failed');
    const why = await explainSessionError(
      { during: 'building', kind: 'workspace', message: 'api: the image build failed\nStep 3' },
      'x',
      noLookup,
    );
    expect(why.reason).toBe('api: the image build failed');
  });
});

describe('describePortHolder', () => {
  it('reads the process from `ss -Hltnp`', () => {
    const ss =
      'LISTEN 0      511        0.0.0.0:8080      0.0.0.0:*    users:(("nginx",pid=4242,fd=6),("nginx",pid=4241,fd=6))\n';
    expect(describePortHolder(ss, 8080)).toBe('nginx (pid 4242)');
    expect(describePortHolder(ss, 80)).toBeUndefined();
  });

  it('recognises another container behind docker-proxy, and unprivileged views without pids', () => {
    expect(describePortHolder('LISTEN 0 4096 127.0.0.1:5432 0.0.0.0:* users:(("docker-proxy",pid=9,fd=4))', 5432)).toBe(
      'another container (see `docker ps --filter publish=5432`)',
    );
    expect(describePortHolder('LISTEN 0 4096 [::]:3000 [::]:*', 3000)).toBe(
      'another process (run `sudo ss -ltnp` to see which)',
    );
  });
});

describe('parseSeed', () => {
  it('accepts whole positive numbers only', () => {
    expect(parseSeed('42')).toBe(42);
    expect(() => parseSeed('4.2')).toThrow(/whole number/);
    expect(() => parseSeed('-1')).toThrow();
    expect(() => parseSeed('x')).toThrow();
  });
});

describe('watch: which files count', () => {
  it('ignores breakfix state, VCS, dependencies and editor droppings', () => {
    for (const ignored of [
      '.breakfix/session.json',
      '.breakfix',
      '.git/index',
      'node_modules/x/y.js',
      'app/__pycache__/m.pyc',
      '.compose.yaml.swp',
      'compose.yaml.swx',
      'compose.yaml~',
      '.#compose.yaml',
      '#compose.yaml#',
      '4913',
      'app/x.py___jb_tmp___',
    ]) {
      expect(isIgnoredPath(ignored), ignored).toBe(true);
    }
    for (const watched of [
      'compose.yaml',
      '.env',
      'Dockerfile',
      'app/server.py',
      'secrets/db_password.txt',
      'migrations/003_x.sql',
    ]) {
      expect(isIgnoredPath(watched), watched).toBe(false);
    }
  });
});

describe('watch: rounds', () => {
  it('waits for a quiet moment, batches a burst of saves, and never overlaps rounds', async () => {
    vi.useFakeTimers();
    try {
      const rounds: string[][] = [];
      let finish: () => void = () => undefined;
      const scheduler = createRoundScheduler(500, (changed) => {
        rounds.push(changed);
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      });
      scheduler.changed('.env');
      await vi.advanceTimersByTimeAsync(300);
      scheduler.changed('compose.yaml');
      scheduler.changed('.env');
      await vi.advanceTimersByTimeAsync(499);
      expect(rounds).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(rounds).toEqual([['.env', 'compose.yaml']]);
      expect(scheduler.running()).toBe(true);

      // Saved during the round: waits for it, then runs once more.
      scheduler.changed('Dockerfile');
      await vi.advanceTimersByTimeAsync(2_000);
      expect(rounds).toHaveLength(1);
      finish();
      await vi.advanceTimersByTimeAsync(500);
      expect(rounds).toEqual([['.env', 'compose.yaml'], ['Dockerfile']]);
      finish();
      await scheduler.idle();

      scheduler.close();
      scheduler.changed('late.txt');
      await vi.advanceTimersByTimeAsync(1_000);
      expect(rounds).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('deadlines', () => {
  it('finds the next pending deadline and a newly fired escalation', () => {
    expect(nextDeadline(undefined)).toBeUndefined();
    const context = makeContext({
      deadlines: [
        { kind: 'hint', index: 0, dueAt: 50, done: true },
        { kind: 'hint', index: 1, dueAt: 300, done: false },
        { kind: 'escalation', index: 0, dueAt: 200, done: false },
      ],
    });
    expect(nextDeadline(context)).toBe(200);
    const after = makeContext({
      deadlines: context.deadlines.map((deadline) =>
        deadline.kind === 'escalation' ? { ...deadline, done: true } : deadline,
      ),
    });
    expect(newEscalation(context, after)).toBe(0);
    expect(newEscalation(after, after)).toBeUndefined();
  });
});
