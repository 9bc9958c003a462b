/**
 * The `breakfix` command. Each subcommand lives in cli/commands/<name>.ts and exports
 * `register(program)`; only the module of the command being run is imported, so a quick
 * command never pays for the TUI, the server or the scenario engine.
 *
 * To add a command: one line in COMMANDS.
 */

// Checked before anything else is imported: on an old Node the dependencies would fail to
// load with errors that say nothing about the real cause.
const nodeMajor = Number.parseInt(process.versions.node.split('.')[0] ?? '0', 10);
if (nodeMajor < 22) {
  // An installed package runs on the user's own Node; a checkout brings Node 22 as a dev dependency.
  const installed = /[\\/]node_modules[\\/]/.test(import.meta.url);
  process.stderr.write(
    installed
      ? `breakfix: Node ${process.versions.node} is too old, breakfix needs Node >= 22: install Node 22 or newer and put it first on PATH\n`
      : `breakfix: Node ${process.versions.node} is too old, breakfix needs Node >= 22 (run bin/breakfix after \`npm ci\`: it uses the Node 22 that npm installs)\n`,
  );
  process.exit(2); // the contract's "environment" code; nothing else can be loaded on this Node
}

// Node keeps compiled code of our modules on disk between runs: a CLI that starts in a few
// hundred milliseconds pays mostly for compiling JavaScript it has compiled before.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();

// `breakfix schema | head -1`: a reader that goes away ends us quietly, as it would `cat`.
(await import('./shared/closed-pipe.js')).quietOnClosedPipe();

const { Command, CommanderError } = await import('commander');
const { default: path } = await import('node:path');
// The exit codes of the CLI contract, in one table (cli/shared/exit.ts).
const { outcomeOfError, setExit } = await import('./shared/exit.js');
type Program = InstanceType<typeof Command>;

interface CommandModule {
  register(program: Program): void;
}

const COMMANDS: ReadonlyArray<{ name: string; load: () => Promise<CommandModule> }> = [
  { name: 'doctor', load: () => import('./commands/doctor.js') },
  { name: 'images', load: () => import('./commands/images.js') },
  { name: 'quickstart', load: () => import('./commands/quickstart.js') },
  { name: 'list', load: () => import('./commands/list.js') },
  { name: 'progress', load: () => import('./commands/progress.js') },
  { name: 'start', load: () => import('./commands/start.js') },
  { name: 'status', load: () => import('./commands/status.js') },
  { name: 'check', load: () => import('./commands/check.js') },
  { name: 'apply', load: () => import('./commands/apply.js') },
  { name: 'rollback', load: () => import('./commands/rollback.js') },
  { name: 'releases', load: () => import('./commands/releases.js') },
  { name: 'hint', load: () => import('./commands/hint.js') },
  { name: 'reset', load: () => import('./commands/reset.js') },
  { name: 'stop', load: () => import('./commands/stop.js') },
  { name: 'watch', load: () => import('./commands/watch.js') },
  { name: 'logs', load: () => import('./commands/logs.js') },
  { name: 'verify', load: () => import('./commands/verify.js') },
  { name: 'gc', load: () => import('./commands/gc.js') },
  { name: 'validate', load: () => import('./commands/validate.js') },
  { name: 'schema', load: () => import('./commands/schema.js') },
  { name: 'new', load: () => import('./commands/new.js') },
  { name: 'course', load: () => import('./commands/course.js') },
  { name: 'preview', load: () => import('./commands/preview.js') },
  { name: 'grade', load: () => import('./commands/grade.js') },
  { name: 'report', load: () => import('./commands/report.js') },
  { name: 'serve', load: () => import('./commands/serve.js') },
];

/** From dist/cli/main.js the package root is two levels up; from cli/main.ts (tests), one. */
async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  for (const relative of ['../../package.json', '../package.json']) {
    const text = await readFile(new URL(relative, import.meta.url), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      const parsed = JSON.parse(text) as { name?: string; version?: string };
      if (parsed.name === 'breakfix' && parsed.version) return parsed.version;
    }
  }
  return '0.0.0';
}

async function main(argv: string[]): Promise<void> {
  const version = await packageVersion();
  const program = new Command('breakfix')
    .description('DevOps break/fix labs on your own Docker: real containers, scripted failures, honest grading.')
    .version(version)
    .option(
      '--course <dir>',
      'a course folder (holding breakfix-course.yaml) beside the built-in course; also BREAKFIX_COURSE; default: the nearest breakfix-course.yaml upward',
    )
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError()
    .addHelpText('after', '\n`breakfix` with no command shows where you are and the next scenario to work.')
    .exitOverride();
  // Every command takes --course: it becomes BREAKFIX_COURSE, which the engine reads wherever it
  // looks a scenario up (one place, and a command's own child processes see it too).
  program.hook('preAction', () => {
    const { course } = program.opts<{ course?: string }>();
    if (course !== undefined) process.env.BREAKFIX_COURSE = path.resolve(course);
  });

  // `breakfix` alone (or `breakfix --json`): where you are and what comes next.
  const rest = argv.slice(2);
  if (rest.length === 0 || (rest.length === 1 && rest[0] === '--json')) {
    const { runHome } = await import('./commands/home.js');
    setExit(await runHome({ json: rest[0] === '--json' }));
    return;
  }

  const requested = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const selected = COMMANDS.filter((command) => command.name === requested);
  for (const command of selected.length > 0 ? selected : COMMANDS) (await command.load()).register(program);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end through exitOverride too; they are not errors.
      const benign =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help';
      setExit(benign ? 'ok' : 'error');
      return;
    }
    throw error;
  }
}

try {
  await main(process.argv);
} catch (error) {
  const { BreakfixError } = await import('../engine/index.js');
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof BreakfixError && error.hint ? ` (${error.hint})` : '';
  process.stderr.write(`breakfix: ${message}${hint}\n`);
  setExit(outcomeOfError(error));
} finally {
  // The work is done: close what keeps the event loop alive, so the process ends now.
  await (await import('./shared/engine.js')).releaseEngine().catch(() => undefined);
}
