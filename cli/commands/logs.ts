/**
 * `breakfix logs <service> [--follow] [--workspace DIR]`: the service container's output, as
 * `docker logs` shows it (the container is kept even when it crashed). With --follow, Ctrl-C
 * stops reading and leaves the lab running.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { abortOnInterrupt } from '../shared/interrupt.js';
import { withExamples, withWorkspaceOption } from '../shared/options.js';
import { openLab } from '../shared/session-event.js';

function parseTail(value: string): number {
  const lines = Number(value);
  if (!Number.isInteger(lines) || lines < 0) throw new InvalidArgumentError('expected a number of lines');
  return lines;
}

export function register(program: Command): void {
  const command = program
    .command('logs')
    .description("print a service's logs (the container is kept even when it crashed)")
    .argument('<service>', 'a service of compose.yaml, e.g. api')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('-n, --tail <lines>', 'only the last <lines> lines', parseTail);
  withWorkspaceOption(command).action(
    async (service: string, options: { follow?: boolean; tail?: number; workspace?: string }) => {
      const lab = await openLab(options.workspace);
      const interrupt = abortOnInterrupt((text) => void process.stderr.write(text));
      try {
        await lab.session.logs(service, (line) => void process.stdout.write(`${line}\n`), {
          follow: options.follow === true,
          signal: interrupt.signal,
          ...(options.tail !== undefined ? { tail: options.tail } : {}),
        });
      } finally {
        interrupt.dispose();
      }
    },
  );
  withExamples(command, [
    ['breakfix logs api', 'everything the api printed, including before a crash'],
    ['breakfix logs api --follow --tail 20', 'the last 20 lines, then new ones as they come'],
  ]);
}
