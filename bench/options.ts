/** `npm run bench -- …`: the command line of the benchmark runner. */
import { SECTIONS, type Section } from './report.js';

export interface Options {
  reps: number;
  cliReps: number;
  only: Set<Section>;
  scenarios?: string[];
  checkScenarios?: string[];
  concurrency: number[];
  concurrentScenario: string;
  /** Scenario of the `lab-commands` section. */
  labScenario: string;
  serveSessions?: number;
  json: boolean;
  markdown: boolean;
  out?: string;
  label?: string;
  /** Render a saved document instead of measuring. */
  from?: string;
  /** With --from: a before/after comparison against this saved document. */
  compare?: string;
}

export function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

export function parseArgs(argv: string[]): Options {
  const options: Options = {
    reps: 5,
    cliReps: 0,
    only: new Set(SECTIONS),
    concurrency: [10, 20],
    concurrentScenario: 'logs-not-collected',
    labScenario: 'wrong-port',
    json: false,
    markdown: false,
  };
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const integer = (flag: string, value: string | undefined) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) usage(`${flag} takes a positive integer, got ${value ?? 'nothing'}`);
    return parsed;
  };
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index] as string;
    const value = () => argv[++index];
    switch (flag) {
      case '--reps':
        options.reps = integer(flag, value());
        break;
      case '--cli-reps':
        options.cliReps = integer(flag, value());
        break;
      case '--only': {
        const sections = list(value());
        const unknown = sections.filter((section) => !(SECTIONS as readonly string[]).includes(section));
        if (unknown.length > 0 || sections.length === 0) usage(`--only takes some of ${SECTIONS.join(',')}`);
        options.only = new Set(sections as Section[]);
        break;
      }
      case '--scenarios':
        options.scenarios = list(value());
        break;
      case '--check-scenarios':
        options.checkScenarios = list(value());
        break;
      case '--concurrency':
        options.concurrency = list(value()).map((item) => integer(flag, item));
        break;
      case '--concurrent-scenario':
        options.concurrentScenario = value() ?? usage('--concurrent-scenario takes a scenario id');
        break;
      case '--lab-scenario':
        options.labScenario = value() ?? usage('--lab-scenario takes a scenario id');
        break;
      case '--serve-sessions':
        options.serveSessions = integer(flag, value());
        break;
      case '--json':
        options.json = true;
        break;
      case '--markdown':
        options.markdown = true;
        break;
      case '--out':
        options.out = value() ?? usage('--out takes a file');
        break;
      case '--label':
        options.label = value() ?? usage('--label takes a text');
        break;
      case '--from':
        options.from = value() ?? usage('--from takes a file');
        break;
      case '--compare':
        options.compare = value() ?? usage('--compare takes a file');
        break;
      case '-h':
      case '--help':
        process.stdout.write(
          'usage: npm run bench -- [--reps N] [--cli-reps N] [--only start,check,apply,cli,concurrent,serve] [--scenarios a,b] [--check-scenarios a,b] [--concurrency 10,20] [--concurrent-scenario ID] [--serve-sessions N] [--label TEXT] [--json | --markdown] [--out FILE]\n       npm run bench -- --from AFTER.json [--compare BEFORE.json] [--markdown | --json]\n',
        );
        return process.exit(0);
      default:
        usage(`unknown option ${flag} (see --help)`);
    }
  }
  if (options.cliReps === 0) options.cliReps = Math.max(10, options.reps);
  return options;
}
