/** The TUI rendered with ink-testing-library against the fake LabSession, for the TUI tests. */
import { render } from 'ink-testing-library';
import { expect, vi } from 'vitest';
import { App } from '../../cli/tui/App.js';
import type { NextLookup } from '../../cli/tui/hooks/use-debrief.js';
import type { TuiOutcome } from '../../cli/tui/outcome.js';
import { FakeLabSession, T0 } from './fake-lab-session.js';

export const SMALL = { columns: 80, rows: 24 };

/** Renders the TUI against a fake lab at 80×24 (by default), with helpers to wait and press keys. */
export function openTui(
  options: {
    mode?: 'start' | 'attach';
    fake?: FakeLabSession;
    size?: { columns: number; rows: number };
    now?: () => number;
    nextAfter?: NextLookup;
  } = {},
) {
  const fake = options.fake ?? new FakeLabSession();
  const outcomes: TuiOutcome[] = [];
  const interrupts = new EventTarget();
  const app = render(
    <App
      source={fake}
      mode={options.mode ?? 'attach'}
      onOutcome={(outcome) => outcomes.push(outcome)}
      size={options.size ?? SMALL}
      pollMs={20}
      confirmMs={2_000}
      logRetryMs={20}
      tickRetryMs={50}
      now={options.now ?? (() => T0 + 75_000)}
      interrupts={interrupts}
      {...(options.nextAfter ? { nextAfter: options.nextAfter } : {})}
    />,
  );
  const frame = () => app.lastFrame() ?? '';
  const until = (text: string | RegExp) =>
    vi.waitFor(
      () => {
        if (typeof text === 'string') expect(frame()).toContain(text);
        else expect(frame()).toMatch(text);
      },
      { timeout: 3_000, interval: 10 },
    );
  const press = async (key: string) => {
    app.stdin.write(key);
    // Ink parses input on the next tick.
    await new Promise((resolve) => setTimeout(resolve, 15));
  };
  return { app, fake, outcomes, frame, until, press, interrupts };
}
