/**
 * `breakfix images [--rebuild]`: build breakfix's base and lab images, with progress.
 * On a terminal: a live line per build step (spinner, step, latest output line) that settles
 * into a ✓ line with the step's duration. Elsewhere (CI, pipes): one plain line per step.
 */
import type { Command } from 'commander';
import { describeImagesProgress, fitLine, formatSeconds, type ImagesProgress } from '../../engine/index.js';

export interface ImagesProgressPrinter {
  onProgress(event: ImagesProgress): void;
  /** Clears the live line; call before printing anything else (an error, a summary). */
  stop(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function isInteractive(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !process.env.CI && process.env.TERM !== 'dumb';
}

export function createImagesProgressPrinter(stream: NodeJS.WriteStream = process.stdout): ImagesProgressPrinter {
  return isInteractive(stream) ? livePrinter(stream) : linePrinter(stream);
}

function linePrinter(stream: NodeJS.WriteStream): ImagesProgressPrinter {
  return {
    onProgress(event) {
      const line = describeImagesProgress(event, 120);
      if (line !== undefined) stream.write(`${line}\n`);
    },
    stop() {},
  };
}

function livePrinter(stream: NodeJS.WriteStream): ImagesProgressPrinter {
  const color = !process.env.NO_COLOR;
  const green = (text: string): string => (color ? `\x1b[32m${text}\x1b[39m` : text);
  const dim = (text: string): string => (color ? `\x1b[2m${text}\x1b[22m` : text);
  let current: { tag: string; label: string; started: number; lastOutput: string } | undefined;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;

  const columns = (): number => stream.columns || 100;
  const clearLine = (): void => {
    stream.write('\r\x1b[2K');
  };
  const draw = (): void => {
    if (!current) return;
    const elapsed = formatSeconds((performance.now() - current.started) / 1000);
    const head = `${SPINNER[frame % SPINNER.length]} ${current.label} ${elapsed}`;
    const room = columns() - head.length - 4;
    const tail = current.lastOutput && room > 10 ? `  ${dim(fitLine(current.lastOutput, room))}` : '';
    clearLine();
    stream.write(fitLine(head, columns() - 1) + tail);
  };
  const settle = (): void => {
    if (!current) return;
    clearLine();
    const seconds = formatSeconds((performance.now() - current.started) / 1000);
    stream.write(`${green('✓')} ${fitLine(current.label, columns() - seconds.length - 4)} ${dim(seconds)}\n`);
    current = undefined;
  };
  const begin = (tag: string, label: string): void => {
    settle();
    current = { tag, label, started: performance.now(), lastOutput: '' };
    timer ??= setInterval(() => {
      frame += 1;
      draw();
    }, 100);
    draw();
  };
  const stopTimer = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    onProgress(event) {
      switch (event.kind) {
        case 'current':
        case 'start':
          settle();
          stream.write(
            `${event.kind === 'current' ? green('✓') : '•'} ${describeImagesProgress(event) ?? event.tag}\n`,
          );
          break;
        case 'step':
          begin(event.tag, `${event.tag} step ${event.step}/${event.total} ${event.instruction}`);
          break;
        case 'output':
          if (current) current.lastOutput = event.line;
          break;
        case 'done':
          settle();
          stopTimer();
          stream.write(`${green('✓')} ${describeImagesProgress(event) ?? event.tag}\n`);
          break;
      }
    },
    stop() {
      stopTimer();
      if (current) clearLine();
      current = undefined;
    },
  };
}

/** Fails fast, in one line, when Docker is unreachable instead of letting testcontainers search. */
export async function requireDocker(): Promise<void> {
  const { BreakfixError, probeDocker } = await import('../../engine/index.js');
  const probe = await probeDocker();
  if (!probe.reachable)
    throw new BreakfixError('environment', `Docker is not reachable: ${probe.reason}`, 'run `breakfix doctor --fix`');
}

export async function runImages(options: { rebuild?: boolean }): Promise<void> {
  await requireDocker();
  const printer = createImagesProgressPrinter();
  try {
    const { activeCourses, catalogueWithCourses, ensureImages } = await import('../../engine/index.js');
    const results = await ensureImages({
      // breakfix's own images, then the recipes of the course the working folder (or --course) selects.
      catalogue: await catalogueWithCourses(activeCourses()),
      rebuild: options.rebuild === true,
      onProgress: (event) => printer.onProgress(event),
    });
    printer.stop();
    const built = results.filter((result) => result.action === 'built').length;
    // performance.now() counts from process start: the figure the user actually waited.
    const seconds = formatSeconds(performance.now() / 1000);
    process.stdout.write(
      built === 0
        ? `all ${results.length} images up to date (${seconds})\n`
        : `${built} of ${results.length} images built in ${seconds}\n`,
    );
  } finally {
    printer.stop();
  }
}

export function register(program: Command): void {
  program
    .command('images')
    .description("build breakfix's images and the course's own image recipes (no registry needed), with progress")
    .option('--rebuild', 'rebuild every image from scratch, without the build cache')
    .action(async (options: { rebuild?: boolean }) => {
      await runImages(options);
    });
}
