/**
 * `breakfix logs <service> [--follow] [--workspace DIR]`: the service container's output, as
 * `docker logs` shows it (the container is kept even when it crashed). With --follow, Ctrl-C
 * stops reading and leaves the lab running.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { withExamples } from '../shared/options.js';
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
    .option('-n, --tail <lines>', 'only the last <lines> lines', parseTail)
    .option('-w, --workspace <dir>', 'the lab workspace (default: the nearest folder upward holding .breakfix/)')
    .action(async (service: string, options: { follow?: boolean; tail?: number; workspace?: string }) => {
      const lab = await openLab(options.workspace);
      const controller = new AbortController();
      const interrupt = () => controller.abort();
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      try {
        await lab.engine.labLogs(lab.workspace, service, (line) => void process.stdout.write(`${line}\n`), {
          runtime: lab.runtime,
          follow: options.follow === true,
          signal: controller.signal,
          ...(options.tail !== undefined ? { tail: options.tail } : {}),
        });
      } finally {
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
    });
  withExamples(command, [
    ['breakfix logs api', 'everything the api printed, including before a crash'],
    ['breakfix logs api --follow --tail 20', 'the last 20 lines, then new ones as they come'],
  ]);
}
