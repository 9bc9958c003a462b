/**
 * `breakfix new <id> [--lab LAB]`: scaffold scenarios/<id>/ — a commented scenario.yaml that
 * already passes `breakfix validate` (a small real scenario on the lab: a required variable
 * removed from compose.yaml), a solution/ folder holding the lab's own compose.yaml, and a
 * README for the instructor. Refuses an id that is not kebab-case or already exists (exit 2).
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
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
  return { service: published.name, ...(variable ? { variable } : {}), healthPath };
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

# The reference fix used by \`breakfix verify\`: solution/ is overlaid onto the workspace.
solution:
  files: solution/
  then: [apply]
`;
}

export function readmeTemplate(id: string, lab: string): string {
  return `# ${id} — instructor notes

Not shown to learners.

- **Lab:** \`${lab}\`
- **What breaks:** TODO
- **What the learner should find:** TODO (which logs, which command)
- **Solution:** \`solution/\` is overlaid onto the workspace, then the steps of \`solution.then\`.

## Working on it

\`\`\`
breakfix validate scenarios/${id}     # schema, references to the lab, templates
breakfix verify ${id}                 # fault bites, checks fail, solution passes
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
  } = await import('../../engine/index.js');
  if (!KEBAB.test(id))
    throw new ScaffoldError(
      `scenario id ${JSON.stringify(id)} must be kebab-case (lowercase letters, digits and dashes), e.g. missing-env-var`,
    );
  const root = options.scenariosDir ?? defaultScenariosDir;
  const lab = options.lab ?? 'notes-api';
  const labDir = path.join(options.labsDir ?? defaultLabsDir, lab);
  const dir = path.join(root, id);
  if (existsSync(dir)) throw new ScaffoldError(`scenario ${id} already exists: ${dir}`);
  if (!existsSync(path.join(labDir, 'compose.yaml')))
    throw new ScaffoldError(`no lab ${lab}: ${labDir} has no compose.yaml`);
  const compose = await loadCompose(labDir);
  if (!compose.ok)
    throw new ScaffoldError(`the compose file of lab ${lab} does not load: ${compose.errors[0]?.message ?? 'invalid'}`);
  const target = chooseTarget(Object.values(compose.plan.services));
  mkdirSync(path.join(dir, 'solution'), { recursive: true });
  const files = [
    path.join(dir, 'scenario.yaml'),
    path.join(dir, 'README.md'),
    path.join(dir, 'solution', 'compose.yaml'),
  ];
  writeFileSync(files[0] as string, scenarioTemplate(id, lab, target));
  writeFileSync(files[1] as string, readmeTemplate(id, lab));
  // The reference fix of the scaffold's fault is the lab's own compose file.
  copyFileSync(path.join(labDir, 'compose.yaml'), files[2] as string);
  return { dir, files };
}

export function register(program: Command, deps: ScenarioCommandDeps = {}): void {
  program
    .command('new')
    .description('scaffold scenarios/<id>/: a commented scenario.yaml that validates, solution/, README.md')
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
