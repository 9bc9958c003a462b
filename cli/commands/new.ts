/**
 * `breakfix new <id> [--lab LAB]`: scaffold scenarios/<id>/ of the course the command sees (the
 * built-in one in breakfix's checkout) — a commented scenario.yaml that already passes
 * `breakfix validate` (a small real scenario on the lab: a required variable removed from
 * compose.yaml, its solution as edits, a right fix and a wrong fix to grow into a red team), and
 * a README for the instructor. No file of the lab is copied: the edits say what changes.
 * Refuses an id that is not kebab-case or already exists (exit 2).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { ServicePlan } from '../../engine/index.js';
import { displayPath, outputOf, type ScenarioCommandDeps } from './validate.js';
import { exitWith, type ExitOutcome } from '../shared/exit.js';

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

interface Target {
  service: string;
  variable?: string;
  /** The variable's value in the lab's compose file (what the solution puts back). */
  value?: string;
  healthPath: string;
}

/** A service to break: one that publishes a port, and a variable of its environment to remove. */
function chooseTarget(services: ServicePlan[]): Target {
  const published = services.find((service) => service.ports.length > 0) ?? services[0];
  if (!published) throw new ScaffoldError('the lab has no services');
  const names = Object.keys(published.environment);
  const variable = names.find((name) => /_(NAME|HOST)$/.test(name)) ?? names[0];
  const probe = published.healthcheck?.test.join(' ') ?? '';
  const healthPath = /https?:\/\/[^/\s"']+(\/[^\s"']*)/.exec(probe)?.[1] ?? '/';
  const value = variable !== undefined ? published.environment[variable] : undefined;
  return {
    service: published.name,
    ...(variable ? { variable } : {}),
    ...(value !== undefined ? { value } : {}),
    healthPath,
  };
}

export function scenarioTemplate(id: string, lab: string, target: Target): string {
  const title = id
    .split('-')
    .map((word, index) => (index === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word))
    .join(' ');
  const fault = target.variable
    ? `  - type: compose.unset
    path: services.${target.service}.environment.${target.variable}
    description: TODO why this fault teaches something (instructors only)`
    : `  - type: container.stop
    service: ${target.service}`;
  const symptom = target.variable
    ? `  - type: container
    service: ${target.service}
    expect: { healthy: false }
    within: 60s                  # a crash loop or a healthcheck needs time to show`
    : `  - type: container
    service: ${target.service}
    expect: { running: false }`;
  return `# yaml-language-server: $schema=../scenario.schema.json
#
# A breakfix scenario. Reference: docs/scenario-format.md. Check it with:
#   breakfix validate scenarios/${id}
# and prove it (fault bites, solution fixes it) with:
#   breakfix verify ${id}
#
# This scaffold is a small but real scenario on the ${lab} lab: replace every TODO.

id: ${id}                          # the folder name; kebab-case
title: ${title}                   # TODO one line, shown in \`breakfix list\`
difficulty: beginner               # beginner | intermediate | advanced
tags: [todo]
lab: ${lab}                        # labs/${lab} is copied into the learner's workspace
estimatedMinutes: 15

# What the learner reads first: the symptom they see, never the cause.
briefing: |
  TODO Users report that the ${target.service} service stopped working after this morning's deploy.

# Shown once the learner passes: what happened, and how a team prevents it.
debrief: |
  TODO explain the cause and the practice that prevents it.

# Seeded random parameters ({{ vars.NAME }} in faults, symptoms, checks, hints, solution):
# vars:
#   port: { oneOf: [8081, 8090, 9000] }

# What breaks the lab, applied in order.
faults:
${fault}

# Must hold once the faults are in, or the scenario is broken (no free pass).
symptoms:
${symptom}

# The grade: the points add up to maxScore (100 unless set).
checks:
  - id: ${target.service}-answers
    title: The ${target.service} service answers ${target.healthPath}
    type: http
    service: ${target.service}
    path: ${target.healthPath}
    expect: { status: 200 }
    points: 70
    hint: TODO what to look at when this fails
  - id: ${target.service}-healthy
    type: container
    service: ${target.service}
    expect: { healthy: true }
    points: 30
    within: 30s

# Progressive hints, unlocked by failed check rounds or time.
hints:
  - after: { attempts: 1 }
    text: TODO a first nudge
  - after: { attempts: 3, elapsed: 10m }
    text: TODO a stronger hint

${fixesTemplate(target)}`;
}

/** The solution, a right fix and a wrong fix, as edits of the workspace (no copied files). */
function fixesTemplate(target: Target): string {
  if (!target.variable)
    return `# The reference fix used by \`breakfix verify\`: redeploying starts the stopped service again.
solution:
  then: [apply]
`;
  const at = `services.${target.service}.environment.${target.variable}`;
  const value = JSON.stringify(target.value ?? '');
  return `# The reference fix used by \`breakfix verify\`: edits of the workspace, then its steps.
solution:
  edits:
    - { type: compose.set, path: ${at}, value: ${value} }
  then: [apply]

# Other fixes that are just as right; \`breakfix verify --wrong-fixes\` proves each one passes.
rightFixes:
  - title: the variable kept in an env_file
    edits:
      - { type: file.write, file: ${target.service}.env, content: ${JSON.stringify(`${target.variable}=${target.value ?? ''}\n`)} }
      - { type: compose.set, path: services.${target.service}.env_file, value: [${target.service}.env] }

# What hurried learners do; \`breakfix verify --wrong-fixes\` proves the checks reject each one.
# A scenario needs at least four, of different kinds (docs/grading-honesty.md).
wrongFixes:
  - title: TODO set the variable to a plausible value that is wrong
    edits:
      - { type: compose.set, path: ${at}, value: ${JSON.stringify(`${target.value ?? ''}-wrong`)} }
`;
}

export function readmeTemplate(id: string, lab: string): string {
  return `# ${id} — instructor notes

Not shown to learners.

- **Lab:** \`${lab}\`
- **What breaks:** TODO
- **What the learner should find:** TODO (which logs, which command)
- **Solution:** the edits of \`solution\` in scenario.yaml, then its steps; \`rightFixes\` and \`wrongFixes\` beside it.

## Working on it

\`\`\`
breakfix validate scenarios/${id}     # schema, references to the lab, templates
breakfix preview ${id} --seed 1       # briefing, hints and debrief, without Docker
breakfix verify ${id} --wrong-fixes   # fault bites, solution and right fixes pass, wrong fixes fail
breakfix start ${id} --seed 1         # play it
\`\`\`
`;
}

export interface ScaffoldResult {
  dir: string;
  files: string[];
}

export async function scaffoldScenario(
  id: string,
  options: { lab?: string; scenariosDir?: string; labsDir?: string } = {},
): Promise<ScaffoldResult> {
  const {
    labsDir: defaultLabsDir,
    loadCompose,
    scenariosDir: defaultScenariosDir,
    selectedCourse,
  } = await import('../../engine/index.js');
  if (!KEBAB.test(id))
    throw new ScaffoldError(
      `scenario id ${JSON.stringify(id)} must be kebab-case (lowercase letters, digits and dashes), e.g. missing-env-var`,
    );
  const lab = options.lab ?? 'notes-api';
  // Inside a course: its scenarios/ and its labs (the built-in labs stay available beside them).
  const course = options.scenariosDir === undefined ? selectedCourse() : undefined;
  const root = options.scenariosDir ?? course?.scenariosDir ?? defaultScenariosDir;
  const labsRoots = options.labsDir ? [options.labsDir] : [...(course ? [course.labsDir] : []), defaultLabsDir];
  const labDir = path.join(
    labsRoots.find((dir) => existsSync(path.join(dir, lab, 'compose.yaml'))) ?? labsRoots[0]!,
    lab,
  );
  const dir = path.join(root, id);
  if (existsSync(dir)) throw new ScaffoldError(`scenario ${id} already exists: ${dir}`);
  if (!existsSync(path.join(labDir, 'compose.yaml')))
    throw new ScaffoldError(`no lab ${lab}: ${labDir} has no compose.yaml`);
  const compose = await loadCompose(labDir);
  if (!compose.ok)
    throw new ScaffoldError(`the compose file of lab ${lab} does not load: ${compose.errors[0]?.message ?? 'invalid'}`);
  const target = chooseTarget(Object.values(compose.plan.services));
  mkdirSync(dir, { recursive: true });
  const files = [path.join(dir, 'scenario.yaml'), path.join(dir, 'README.md')];
  writeFileSync(files[0] as string, scenarioTemplate(id, lab, target));
  writeFileSync(files[1] as string, readmeTemplate(id, lab));
  return { dir, files };
}

export function register(program: Command, deps: ScenarioCommandDeps = {}): void {
  program
    .command('new')
    .description(
      'scaffold scenarios/<id>/ of the course: a commented scenario.yaml that validates (solution, a right and a wrong fix), README.md',
    )
    .argument('<id>', 'kebab-case scenario id, e.g. missing-env-var')
    .option('--lab <lab>', 'the lab the scenario deploys', 'notes-api')
    .action(
      exitWith(async (id: string, options: { lab: string }, command: Command): Promise<ExitOutcome> => {
        const io = outputOf(command);
        const cwd = deps.cwd ?? process.cwd();
        let result: ScaffoldResult;
        try {
          result = await scaffoldScenario(id, {
            lab: options.lab,
            ...(deps.scenariosDir ? { scenariosDir: deps.scenariosDir } : {}),
            ...(deps.labsDir ? { labsDir: deps.labsDir } : {}),
          });
        } catch (error) {
          if (!(error instanceof ScaffoldError)) throw error;
          command.error(`breakfix new: ${error.message}`, { exitCode: 2, code: 'breakfix.usage' });
          return 'error';
        }
        for (const file of result.files) io.out(`created ${displayPath(file, cwd)}\n`);
        // The scaffold must validate as generated; say so loudly if the lab changed under it.
        const { loadScenarioFile } = await import('../../engine/index.js');
        const check = await loadScenarioFile(result.files[0] as string, deps.labsDir ? { labsDir: deps.labsDir } : {});
        if (!check.ok) {
          for (const error of check.errors)
            io.err(`${displayPath(error.file, cwd)}:${error.line}:${error.col}: ${error.message}\n`);
          return 'failed';
        }
        io.out(
          `next: edit ${displayPath(result.files[0] as string, cwd)}, then \`breakfix validate ${displayPath(result.dir, cwd)}\` and \`breakfix verify ${id}\`\n`,
        );
        return 'ok';
      }),
    );
}
