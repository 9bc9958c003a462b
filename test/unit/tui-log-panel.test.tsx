/**
 * The TUI's log pane with structured logs: JSON lines shown readable (time level message
 * key=value), wrapped to the pane's width, filtered and scrolled.
 */
import { renderToString } from 'ink';
import { describe, expect, it } from 'vitest';
import { LogPanel } from '../../cli/tui/panels/LogPanel.js';

function lines(output: string): string[] {
  return output.split('\n');
}

describe('LogPanel with structured logs', () => {
  it('shows JSON log lines readable and whole: time level message key=value, wrapped to the width', () => {
    const output = renderToString(
      <LogPanel
        service="api"
        lines={['{"ts":"2026-11-23T22:10:16.803Z","level":"fatal","msg":"DATABASE_NAME is not set","exit_code":3}']}
        note={undefined}
        width={30}
        maxLines={4}
      />,
      { columns: 30 },
    );
    expect(lines(output).slice(1)).toEqual(['22:10:16.803 fatal', '  DATABASE_NAME is not set', '  exit_code=3']);
    expect(output).not.toContain('{"ts"');
  });

  it('filters (case-insensitive, counting matches) and scrolls up from the newest line', () => {
    const logLines = Array.from(
      { length: 8 },
      (_, index) => `{"level":"info","msg":"request ${index}","ok":${index % 2 === 0}}`,
    );
    const filtered = renderToString(
      <LogPanel service="api" lines={logLines} note={undefined} width={70} maxLines={3} filter="OK=TRUE" />,
      { columns: 70 },
    );
    expect(lines(filtered)).toEqual([
      'Logs api  /OK=TRUE 4 of 8 lines  Esc clears · l: next service',
      'info  request 2  ok=true',
      'info  request 4  ok=true',
      'info  request 6  ok=true',
    ]);
    const scrolled = renderToString(
      <LogPanel service="api" lines={logLines} note={undefined} width={90} maxLines={2} scroll={3} />,
      { columns: 90 },
    );
    expect(lines(scrolled)).toEqual([
      'Logs api  ↓ 3 more rows · End follows  l: next service · / filter · ↑↓ scroll',
      'info  request 3  ok=false',
      'info  request 4  ok=true',
    ]);
    const typing = renderToString(
      <LogPanel service="api" lines={logLines} note={undefined} width={60} maxLines={1} draft="requ" />,
      { columns: 60 },
    );
    expect(lines(typing)[0]).toBe('Logs api  /requ▏  Enter filters · Esc cancels');
    const none = renderToString(
      <LogPanel service="api" lines={logLines} note={undefined} width={60} maxLines={2} filter="nothing" />,
      { columns: 60 },
    );
    expect(lines(none)[1]).toBe('no line contains "nothing"');
  });
});
