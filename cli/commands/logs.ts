/**
 * `breakfix logs <service> [--follow] [--tail N] [--raw] [--workspace DIR]`: the service
 * container's output, as `docker logs` shows it (the container is kept even when it crashed).
 * At a terminal, JSON log lines are shown as `time  level  message  key=value`; `--raw` and
 * piped output keep the lines exactly as the service wrote them. With --follow, Ctrl-C stops
 * reading and leaves the lab running.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { formatLogLine } from '../render/log-line.js';
import { createStyle } from '../render/style.js';
import { abortOnInterrupt } from '../shared/interrupt.js';
import { withExamples, withWorkspaceOption } from '../shared/options.js';
import { openLab } from '../shared/session-event.js';
import { colorEnabled } from '../shared/terminal.js';

function parseTail(value: string): number {
  const lines = Number(value);
  if (!Number.isInteger(lines) || lines < 0) throw new InvalidArgumentError('expected a number of lines');
  return lines;
}

interface LogsOptions {
  follow?: boolean;
  tail?: number;
  raw?: boolean;
  workspace?: string;
}

/** How each line is written: as it is for scripts and `--raw`, readable for a person. */
export function logLineWriter(
  options: { raw?: boolean },
  stdout: { isTTY?: boolean; write(text: string): unknown } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): (line: string) => void {
  if (options.raw === true || stdout.isTTY !== true) return (line) => void stdout.write(`${line}\n`);
  const style = createStyle(colorEnabled(stdout, env));
  return (line) => void stdout.write(`${formatLogLine(line, style)}\n`);
}

export function register(program: Command): void {
  const command = program
    .command('logs')
    .description("print a service's logs (the container is kept even when it crashed)")
    .argument('<service>', 'a service of compose.yaml, e.g. api')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('-n, --tail <lines>', 'only the last <lines> lines', parseTail)
    .option('--raw', 'the lines exactly as the service wrote them (the default when piped)');
  withWorkspaceOption(command).action(async (service: string, options: LogsOptions) => {
    const lab = await openLab(options.workspace);
    const interrupt = abortOnInterrupt((text) => void process.stderr.write(text));
    try {
      await lab.session.logs(service, logLineWriter(options), {
        follow: options.follow === true,
        signal: interrupt.signal,
        ...(options.tail !== undefined ? { tail: options.tail } : {}),
      });
    } finally {
      interrupt.dispose();
    }
  });
  withExamples(command, [
    ['breakfix logs api', 'everything the api printed, including before a crash'],
    ['breakfix logs api --follow --tail 20', 'the last 20 lines, then new ones as they come'],
    ['breakfix logs api --raw | jq .msg', 'the JSON lines as written, for tools'],
  ]);
}
