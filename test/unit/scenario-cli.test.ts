/**
 * The `validate`, `schema` and `new` commands, run in-process through commander with captured
 * output (the built CLI in a real process is tested elsewhere).
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { register as registerNew } from '../../cli/commands/new.js';
import { register as registerSchema } from '../../cli/commands/schema.js';
import {
  register as registerValidate,
  type ScenarioCommandDeps,
  type ValidateJson,
} from '../../cli/commands/validate.js';
import { labsDir } from '../../engine/paths.js';
import { loadScenarioFile, scenarioJsonSchema } from '../../engine/scenario/index.js';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures');
const fixtureLabs = path.join(fixtures, 'labs');
const fixtureScenarios = path.join(fixtures, 'scenarios');

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
});

function tempDir(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'breakfix-cli-'));
  roots.push(root);
  return root;
}

interface Run {
  stdout: string;
  stderr: string;
  /** process.exitCode after the action, or the CommanderError's exit code. */
  code: number;
}

async function run(args: string[], deps: ScenarioCommandDeps): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const program = new Command('breakfix')
    .exitOverride()
    .configureOutput({ writeOut: (text) => (stdout += text), writeErr: (text) => (stderr += text) });
  registerValidate(program, deps);
  registerSchema(program);
  registerNew(program, deps);
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { stdout, stderr, code: error.exitCode };
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { stdout, stderr, code };
}

function copyFixtures(): string {
  const root = tempDir();
  for (const id of readdirSync(fixtureScenarios))
    cpSync(path.join(fixtureScenarios, id), path.join(root, id), { recursive: true });
  return root;
}

describe('breakfix validate', () => {
  it('exit 0 and a summary when every file is valid', async () => {
    const root = copyFixtures();
    const result = await run(['validate'], { scenariosDir: root, labsDir: fixtureLabs, cwd: root });
    expect(result).toEqual({ stdout: '8 scenario files valid\n', stderr: '', code: 0 });
  });

  it('exit 1 with path:line:col: message on stderr', async () => {
    const root = copyFixtures();
    const file = path.join(root, 'port-mismatch', 'scenario.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('points: 50', 'points: 40').replace('type: http', 'type: htp'),
    );
    const result = await run(
      ['validate', path.join(root, 'port-mismatch'), path.join(root, 'missing-env-var', 'scenario.yaml')],
      { labsDir: fixtureLabs, cwd: root },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      [
        'port-mismatch/scenario.yaml:24:11: symptoms[0].type: unknown check type `htp`; did you mean `http`?',
        "port-mismatch/scenario.yaml:34:1: checks: the checks' points add up to 90, but maxScore is 100: add 10 points or set maxScore: 90",
        '',
      ].join('\n'),
    );
    expect(result.stdout).toBe('1 invalid scenario file of 2 (2 errors)\n');
  });

  it('--json prints the contract shape on stdout only', async () => {
    const root = copyFixtures();
    const file = path.join(root, 'missing-env-var', 'scenario.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('service: api', 'service: apii'));
    const result = await run(
      ['validate', '--json', path.join(root, 'missing-env-var'), path.join(root, 'wrong-healthcheck-path')],
      { labsDir: fixtureLabs, cwd: root },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout) as ValidateJson;
    expect(json).toEqual({
      ok: false,
      files: [
        {
          file: 'missing-env-var/scenario.yaml',
          kind: 'scenario',
          ok: false,
          errors: [
            {
              line: 26,
              col: 14,
              message:
                'symptoms[0].service: service `apii` is not defined in labs/notes-api/compose.yaml; did you mean `api`? (services: db, migrate, api)',
              path: 'symptoms[0].service',
            },
          ],
        },
        { file: 'wrong-healthcheck-path/scenario.yaml', kind: 'scenario', ok: true, errors: [] },
      ],
    });
  });

  it('exit 2 on a path that does not exist', async () => {
    const root = tempDir();
    const result = await run(['validate', path.join(root, 'nope')], { labsDir: fixtureLabs, cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`breakfix validate: ${path.join(root, 'nope')}: no such file or folder\n`);
  });
});

describe('breakfix schema', () => {
  it('prints the JSON Schema', async () => {
    const result = await run(['schema'], {});
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(scenarioJsonSchema());
  });
});

describe('breakfix new', () => {
  it('scaffolds a scenario that validates as generated', async () => {
    const root = tempDir();
    const deps = { scenariosDir: root, labsDir: fixtureLabs, cwd: root };
    const result = await run(['new', 'my-first-lab'], deps);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('created my-first-lab/scenario.yaml\ncreated my-first-lab/README.md\n');
    // No copy of a lab file: the solution, the right fix and the wrong fix are edits.
    expect(readdirSync(path.join(root, 'my-first-lab')).sort()).toEqual(['README.md', 'scenario.yaml']);
    const text = readFileSync(path.join(root, 'my-first-lab', 'scenario.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../scenario.schema.json');
    expect(text).toContain('path: services.api.environment.DATABASE_HOST');
    expect(text).toMatch(
      /^solution:\n {2}edits:\n {4}- \{ type: compose\.set, path: services\.api\.environment\.DATABASE_HOST/m,
    );
    expect(text).toMatch(/^rightFixes:\n {2}- title: /m);
    expect(text).toMatch(/^wrongFixes:\n {2}- title: /m);
    expect(existsSync(path.join(root, 'my-first-lab', 'README.md'))).toBe(true);
    expect(await run(['validate', path.join(root, 'my-first-lab')], deps)).toMatchObject({ code: 0, stderr: '' });
  });

  it.runIf(existsSync(path.join(labsDir, 'notes-api', 'compose.yaml')))(
    'validates against the real notes-api lab too',
    async () => {
      const root = tempDir();
      const result = await run(['new', 'real-lab-scaffold'], { scenariosDir: root, cwd: root });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(loadScenarioFile(path.join(root, 'real-lab-scaffold', 'scenario.yaml'))).toMatchObject({ ok: true });
    },
  );

  it('refuses an existing id, a non-kebab id and an unknown lab (exit 2)', async () => {
    const root = tempDir();
    const deps = { scenariosDir: root, labsDir: fixtureLabs, cwd: root };
    expect((await run(['new', 'taken'], deps)).code).toBe(0);
    const taken = await run(['new', 'taken'], deps);
    expect(taken).toMatchObject({
      code: 2,
      stderr: `breakfix new: scenario taken already exists: ${path.join(root, 'taken')}\n`,
    });
    const bad = await run(['new', 'Not_Kebab'], deps);
    expect(bad).toMatchObject({
      code: 2,
      stderr:
        'breakfix new: scenario id "Not_Kebab" must be kebab-case (lowercase letters, digits and dashes), e.g. missing-env-var\n',
    });
    expect(existsSync(path.join(root, 'Not_Kebab'))).toBe(false);
    const lab = await run(['new', 'other', '--lab', 'nope'], deps);
    expect(lab.code).toBe(2);
    expect(lab.stderr).toMatch(/^breakfix new: no lab nope/);
  });
});
