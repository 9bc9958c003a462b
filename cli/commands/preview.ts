/**
 * `breakfix preview <scenario> [--seed N]`: what a learner reads — the briefing, the hints with
 * when they unlock, each check's hint, and the debrief — rendered with one seed's variables, for
 * an author proof-reading a scenario. Reads the scenario file only: no Docker, no lab.
 */
import type { Command } from 'commander';
import { plainMarkdown, wrap } from '../render/text.js';
import { commandIO, printJson, printLines } from '../shared/io.js';
import { withExamples } from '../shared/options.js';
import { exitWith, type ExitOutcome } from '../shared/exit.js';

function parseSeed(value: string | undefined, usage: (message: string) => Error): number {
  if (value === undefined) return 1;
  if (!/^\d+$/.test(value)) throw usage(`--seed must be a non-negative integer, got ${value}`);
  return Number(value);
}

const unlock = (after: { attempts?: number; elapsedMs?: number }): string => {
  const parts = [
    ...(after.attempts !== undefined ? [`after ${after.attempts} failed check round(s)`] : []),
    ...(after.elapsedMs !== undefined ? [`after ${Math.round(after.elapsedMs / 1000)} s in the lab`] : []),
  ];
  return parts.length > 0 ? parts.join(' or ') : 'at once';
};

export function register(program: Command): void {
  const command = program
    .command('preview')
    .description("show a scenario's briefing, hints and debrief for one seed, without Docker")
    .argument('<scenario>', 'a scenario id, <course-id>/<id>, or a scenario folder or file')
    .option('--seed <n>', 'the seed whose variables fill the text (default 1)')
    .option('--json', 'print {id, title, seed, vars, briefing, hints, checkHints, debrief} on stdout')
    .action(
      exitWith(async (ref: string, options: { seed?: string; json?: boolean }): Promise<ExitOutcome> => {
        const engine = await import('../../engine/index.js');
        const seed = parseSeed(options.seed, (message) => new engine.BreakfixError('usage', message));
        const scenario = await engine.resolveScenario(ref, seed);
        const io = commandIO(options.json === true);
        const hints = scenario.hints.map((hint) => ({ unlocks: unlock(hint.after), text: hint.text }));
        const checkHints = scenario.checks.flatMap((check) =>
          check.hint !== undefined ? [{ check: check.id, text: check.hint }] : [],
        );
        if (io.json) {
          printJson(io, {
            id: scenario.id,
            title: scenario.title,
            seed,
            vars: scenario.vars,
            briefing: scenario.briefing,
            hints,
            checkHints,
            debrief: scenario.debrief,
          });
          return 'ok';
        }
        const width = Math.min(process.stdout.columns ?? 100, 100);
        const block = (text: string) => wrap(plainMarkdown(text).trimEnd(), width - 2).map((line) => `  ${line}`);
        const { style } = io;
        const vars = Object.entries(scenario.vars).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
        printLines(io.out, [
          style.bold(`${scenario.title}`) +
            style.dim(`  (${scenario.id}, seed ${seed}${vars.length ? `: ${vars.join(', ')}` : ''})`),
          '',
          style.bold('Briefing'),
          ...block(scenario.briefing),
          '',
          style.bold('Hints'),
          ...(hints.length === 0
            ? ['  (none)']
            : hints.flatMap((hint, index) => [
                `  ${index + 1}. ${hint.unlocks}:`,
                ...block(hint.text).map((line) => `  ${line}`),
              ])),
          ...(checkHints.length === 0
            ? []
            : [
                '',
                style.bold('When a check fails'),
                ...checkHints.flatMap((hint) => [`  ${hint.check}:`, ...block(hint.text).map((line) => `  ${line}`)]),
              ]),
          '',
          style.bold('Debrief'),
          ...block(scenario.debrief),
        ]);
        return 'ok';
      }),
    );
  withExamples(command, [
    ['breakfix preview wrong-port', 'the texts with seed 1'],
    ['breakfix preview scenarios/my-scenario --seed 7', "a course's scenario by its folder, another seed"],
  ]);
}
