/**
 * Where a command writes. `--json` keeps stdout for the one JSON document, so progress goes to
 * stderr then; otherwise progress and results share stdout, in order.
 */
import { createStyle, type Style } from '../render/style.js';
import { colorEnabled, terminalWidth } from './terminal.js';

export interface CommandIO {
  out(text: string): void;
  /** Progress and remarks: stderr under --json, stdout otherwise. */
  progress(text: string): void;
  err(text: string): void;
  style: Style;
  width: number;
  json: boolean;
}

export function commandIO(json: boolean): CommandIO {
  const progressStream = json ? process.stderr : process.stdout;
  return {
    out: (text) => void process.stdout.write(text),
    progress: (text) => void progressStream.write(text),
    err: (text) => void process.stderr.write(text),
    style: createStyle(!json && colorEnabled(process.stdout)),
    width: terminalWidth(process.stdout),
    json,
  };
}

export function printLines(write: (text: string) => void, lines: readonly string[]): void {
  if (lines.length > 0) write(`${lines.join('\n')}\n`);
}

export function printJson(io: CommandIO, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}
