/**
 * `breakfix serve [--host 127.0.0.1] [--port 7070]`: the HTTP API (docs/http-api.md).
 *
 * The token comes from BREAKFIX_TOKEN. Without it, a non-loopback host is refused (exit 2, one
 * line); on loopback a token is generated and printed once, on stderr, with the address.
 * Request logs are JSON lines on stdout. SIGTERM/SIGINT shut down gracefully: stop accepting,
 * finish requests in flight, stop every lab the server started; a second signal exits at once.
 */
import type { Command } from 'commander';
import { BreakfixError, settingsCheck } from '../../engine/index.js';
import { EXIT_CODES, exitWith, type ExitOutcome } from '../shared/exit.js';

function positiveInteger(flag: string, value: string, { allowZero = false } = {}): number {
  if (!/^\d+$/.test(value) || (!allowZero && Number(value) === 0) || !Number.isSafeInteger(Number(value))) {
    throw new BreakfixError(
      'usage',
      `${flag} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}`,
    );
  }
  return Number(value);
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** `20MiB`, `512k`, `1g` or a number of bytes. */
export function parseSize(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? SIZE_UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || unit === undefined || Number(match[1]) <= 0)
    throw new BreakfixError('usage', `${flag} must be a size like 20MiB, 512k or a number of bytes, got ${value}`);
  return Math.round(Number(match[1]) * unit);
}

interface ServeFlags {
  host: string;
  port: string;
  maxSessions: string;
  dataDir?: string;
  uploadLimit: string;
  fileLimit: string;
  shutdownTimeout: string;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API (token from BREAKFIX_TOKEN; see docs/http-api.md)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '7070')
    .option('--max-sessions <n>', 'labs at once: live sessions plus gradings in progress (429 beyond)', '10')
    .option(
      '--data-dir <dir>',
      'where server-owned workspaces live (default: $BREAKFIX_DATA, else a temporary folder removed at shutdown)',
    )
    .option('--upload-limit <size>', 'largest POST /v1/grade upload (413 beyond)', '20MiB')
    .option('--file-limit <size>', 'largest workspace file written with PUT …/files/*path', '1MiB')
    .option('--shutdown-timeout <seconds>', 'how long shutdown waits for requests in flight', '120')
    .action(
      exitWith(async (flags: ServeFlags, command: Command): Promise<ExitOutcome> => {
        let port: number;
        let maxSessions: number;
        let uploadBytes: number;
        let fileBytes: number;
        let graceSeconds: number;
        try {
          port = positiveInteger('--port', flags.port, { allowZero: true });
          if (port > 65_535) throw new BreakfixError('usage', `--port must be at most 65535, got ${flags.port}`);
          maxSessions = positiveInteger('--max-sessions', flags.maxSessions);
          uploadBytes = parseSize('--upload-limit', flags.uploadLimit);
          fileBytes = parseSize('--file-limit', flags.fileLimit);
          graceSeconds = positiveInteger('--shutdown-timeout', flags.shutdownTimeout, { allowZero: true });
        } catch (error) {
          command.error(`breakfix serve: ${(error as Error).message}`, { exitCode: 2, code: 'breakfix.usage' });
          return 'error';
        }
        // A wrong BREAKFIX_* setting would surface at the first lab a learner starts: say it now.
        const settings = settingsCheck();
        if (!settings.ok) {
          process.stderr.write(`breakfix serve: ${settings.detail}\n`);
          return 'error';
        }
        const { startServer } = await import('../../server/serve.js');
        const dataDir = flags.dataDir ?? (process.env.BREAKFIX_DATA ? `${process.env.BREAKFIX_DATA}` : undefined);
        let running;
        try {
          running = await startServer({
            host: flags.host,
            port,
            maxSessions,
            limits: { uploadBytes, fileBytes },
            shutdownGraceMs: graceSeconds * 1000,
            version: program.version() ?? '0.0.0',
            ...(process.env.BREAKFIX_TOKEN ? { token: process.env.BREAKFIX_TOKEN } : {}),
            ...(dataDir ? { dataDir } : {}),
          });
        } catch (error) {
          const hint = error instanceof BreakfixError && error.hint ? ` (${error.hint})` : '';
          process.stderr.write(`breakfix serve: ${(error as Error).message}${hint}\n`);
          return 'error';
        }
        // One write: whoever waits for "listening on" also gets the token line with it.
        process.stderr.write(
          `breakfix serve: listening on ${running.url} (data: ${running.dataDir}, at most ${maxSessions} labs)\n` +
            (running.generatedToken
              ? `breakfix serve: token ${running.token} (generated for this run; set BREAKFIX_TOKEN to choose one)\n`
              : '') +
            `breakfix serve: instructor dashboard at ${running.url}/dashboard\n`,
        );

        // A shutdown that fails is breakfix failing (2): labs may be left for `breakfix gc`.
        return new Promise<ExitOutcome>((resolve) => {
          let stopping = false;
          const onSignal = (signal: NodeJS.Signals) => {
            if (stopping) {
              process.stderr.write(
                `breakfix serve: ${signal} again, exiting now (labs may be left: run \`breakfix gc\`)\n`,
              );
              process.exit(EXIT_CODES.interrupted);
            }
            stopping = true;
            process.stderr.write(
              `breakfix serve: ${signal}, shutting down: finishing requests in flight, then stopping ${running.services.registry.size} lab(s)\n`,
            );
            running
              .close()
              .then(
                (): ExitOutcome => {
                  process.stderr.write('breakfix serve: stopped\n');
                  return 'ok';
                },
                (error: unknown): ExitOutcome => {
                  process.stderr.write(`breakfix serve: shutdown failed: ${(error as Error).message}\n`);
                  return 'error';
                },
              )
              .then((outcome) => {
                process.off('SIGINT', onSignal);
                process.off('SIGTERM', onSignal);
                resolve(outcome);
              });
          };
          process.on('SIGINT', onSignal);
          process.on('SIGTERM', onSignal);
        });
      }),
    );
}
