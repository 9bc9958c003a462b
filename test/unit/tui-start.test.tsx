/** The TUI opened by `start` (progress, cancellation, failures) and in a large terminal, against a fake lab. */
import { EventEmitter } from 'node:events';
import { render as inkRender } from 'ink';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../cli/tui/App.js';

import { FakeLabSession, T0 } from '../support/fake-lab-session.js';
import { openTui as open } from '../support/tui-harness.js';

afterEach(() => {
  cleanup();
});

describe('TUI opened by start', () => {
  it('shows per-step build and deploy progress while the lab comes up, then the lab', async () => {
    const fake = new FakeLabSession();
    const release = fake.hold('START');
    fake.handlers.START = (self, onNotice) => {
      onNotice({ type: 'state', state: 'building', context: self.context });
      onNotice({ type: 'progress', progress: { phase: 'service', service: 'api', status: 'building' } });
      onNotice({
        type: 'progress',
        progress: {
          phase: 'build',
          service: 'migrate, api',
          event: { kind: 'step', step: 3, total: 9, instruction: 'RUN pip install' },
        },
      });
      return self.result('active');
    };
    const { until, press, frame } = open({ mode: 'start', fake });
    await until('busy: starting the lab');
    await press('c');
    await until('c ignored');
    release();
    await until('no check yet');
    expect(frame()).not.toContain('Progress');
    expect(fake.calls).toEqual(expect.arrayContaining(['START']));
  });

  it('renders the progress board from notices', async () => {
    const fake = new FakeLabSession();
    let finish: (() => void) | undefined;
    fake.handlers.START = (self, onNotice) =>
      new Promise((resolve) => {
        onNotice({ type: 'state', state: 'building', context: self.context });
        onNotice({ type: 'progress', progress: { phase: 'service', service: 'api', status: 'building' } });
        onNotice({
          type: 'progress',
          progress: {
            phase: 'build',
            service: 'migrate, api',
            event: { kind: 'step', step: 3, total: 9, instruction: 'RUN pip install' },
          },
        });
        onNotice({
          type: 'progress',
          progress: { phase: 'service', service: 'db', status: 'waiting', detail: 'db healthy' },
        });
        finish = () => resolve(self.result('active'));
      });
    const { until, frame } = open({ mode: 'start', fake });
    await until('Progress  building images');
    expect(frame()).toMatch(/api\s+building\s+step 3\/9 RUN pip install/);
    expect(frame()).toMatch(/db\s+waiting\s+db healthy/);
    finish?.();
    await until('no check yet');
  });

  it('Ctrl-C while starting cancels: the start is aborted and the TUI ends "interrupted"', async () => {
    const fake = new FakeLabSession();
    fake.handlers.START = (self, _onNotice) =>
      new Promise((resolve) => {
        self.startSignal?.addEventListener('abort', () => resolve(self.result('stopped')), { once: true });
      });
    const { until, press, outcomes } = open({ mode: 'start', fake });
    await until('busy: starting the lab');
    await press('\x03');
    await vi.waitFor(() => expect(outcomes).toEqual([{ kind: 'interrupted' }]));
    expect(fake.startSignal?.aborted).toBe(true);
  });

  it('SIGINT from outside the terminal cancels a start the same way', async () => {
    const fake = new FakeLabSession();
    fake.handlers.START = (self) =>
      new Promise((resolve) =>
        self.startSignal?.addEventListener('abort', () => resolve(self.result('stopped')), { once: true }),
      );
    const { until, outcomes, interrupts } = open({ mode: 'start', fake });
    await until('busy: starting the lab');
    interrupts.dispatchEvent(new Event('interrupt'));
    await vi.waitFor(() => expect(outcomes).toEqual([{ kind: 'interrupted' }]));
  });

  it('a scenario whose symptoms never show ends in the failure panel, and q exits "failed"', async () => {
    const fake = new FakeLabSession();
    fake.handlers.START = (self) => {
      self.context = {
        ...self.context,
        error: {
          during: 'confirming',
          kind: 'scenario',
          message: 'symptoms not observed: symptom 1 (http): answered 200',
        },
      };
      return self.result('error');
    };
    const { until, press, outcomes } = open({ mode: 'start', fake });
    await until('The lab did not come up');
    await until('scenario wrong-port is broken: symptoms not observed');
    await press('q');
    await vi.waitFor(() =>
      expect(outcomes[0]).toMatchObject({
        kind: 'failed',
        next: expect.stringContaining('breakfix verify wrong-port'),
      }),
    );
  });
});

/** ink-testing-library's terminal is 100 columns wide; the two-column layout needs more. */
class WideStdout extends EventEmitter {
  frames: string[] = [];
  columns = 140;
  rows = 40;
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
}

class QuietStdin extends EventEmitter {
  isTTY = true;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => null;
}

describe('TUI in a large terminal', () => {
  it('puts the logs in a column of their own from 120 columns on', async () => {
    const fake = new FakeLabSession();
    const stdout = new WideStdout();
    const instance = inkRender(
      <App
        source={fake}
        mode="attach"
        onOutcome={() => undefined}
        size={{ columns: 140, rows: 40 }}
        pollMs={20}
        now={() => T0}
      />,
      {
        stdout: stdout as unknown as NodeJS.WriteStream,
        stdin: new QuietStdin() as unknown as NodeJS.ReadStream,
        debug: true,
        exitOnCtrlC: false,
        patchConsole: false,
      },
    );
    try {
      await vi.waitFor(() => expect(stdout.frames.at(-1)).toContain('0.0.0.0:9090'), { timeout: 3_000 });
      const lines = (stdout.frames.at(-1) ?? '').split('\n');
      // The briefing's title and the log panel's title share the second row.
      expect(lines[1]).toMatch(/^Briefing\s+Logs api/);
      expect(lines.length).toBeLessThanOrEqual(39);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(140);
    } finally {
      instance.unmount();
    }
  });
});
