import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse, parseDocument } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRegistry } from '../../engine/checks/registry.js';
import { faultRegistry } from '../../engine/faults/registry.js';
import { labsDir, scenariosDir } from '../../engine/paths.js';
import {
  CHECK_COMMON_KEYS,
  DEFAULT_TIMING,
  FAULT_COMMON_KEYS,
  SYMPTOM_COMMON_KEYS,
  chooseVars,
  findTemplateRefs,
  formatIssue,
  instantiateScenario,
  listScenarios,
  loadScenarioById,
  loadScenarioFile,
  loadScenarioText,
  renderTemplate,
  renderValue,
  scenarioJsonSchema,
  validateScenarioPaths,
  type ScenarioDefinition,
  type ScenarioIssue,
} from '../../engine/scenario/index.js';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures');
const fixtureLabs = path.join(fixtures, 'labs');
const fixtureScenarios = path.join(fixtures, 'scenarios');
const fixtureIds = readdirSync(fixtureScenarios).sort();
const fixtureFile = (id: string) => path.join(fixtureScenarios, id, 'scenario.yaml');
const fixtureText = (id: string) => readFileSync(fixtureFile(id), 'utf8');

/** The real scenarios, once they exist, with the real labs. */
const realScenarioFiles = existsSync(scenariosDir)
  ? readdirSync(scenariosDir)
      .map((name) => path.join(scenariosDir, name, 'scenario.yaml'))
      .filter((file) => existsSync(file))
  : [];

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});
function tempDir(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'breakfix-scenario-'));
  roots.push(root);
  return root;
}

function load(text: string, id = 'port-mismatch') {
  return loadScenarioText(fixtureFile(id), text, { labsDir: fixtureLabs });
}

function definition(id: string): ScenarioDefinition {
  const result = loadScenarioFile(fixtureFile(id), { labsDir: fixtureLabs });
  if (!result.ok) throw new Error(result.errors.map(formatIssue).join('\n'));
  return result.scenario;
}

const short = (issue: ScenarioIssue) => `${issue.line}:${issue.col}: ${issue.message}`;

/** The issues of a mutated fixture as `line:col: message`. */
function issuesOf(mutate: (text: string) => string, id = 'port-mismatch'): string[] {
  const text = fixtureText(id);
  const mutated = mutate(text);
  expect(mutated, 'the mutation must change the text').not.toBe(text);
  const result = load(mutated, id);
  if (result.ok) return [];
  return result.errors.map(short);
}

describe('valid scenarios', () => {
  it.each(fixtureIds)('fixture %s is valid', (id) => {
    const result = loadScenarioFile(fixtureFile(id), { labsDir: fixtureLabs });
    expect(result.ok ? [] : result.errors.map(formatIssue)).toEqual([]);
  });

  it.runIf(realScenarioFiles.length > 0).each(realScenarioFiles)(
    'real scenario %s is valid against the real labs',
    (file) => {
      const result = loadScenarioFile(file);
      expect(result.ok ? [] : result.errors.map(formatIssue)).toEqual([]);
    },
  );

  it('gives a definition with paths, vars and the document as written', () => {
    const scenario = definition('port-mismatch');
    expect(scenario).toMatchObject({
      id: 'port-mismatch',
      difficulty: 'intermediate',
      lab: 'notes-api',
      labDir: path.join(fixtureLabs, 'notes-api'),
      solutionDir: path.join(fixtureScenarios, 'port-mismatch', 'solution'),
    });
    expect(scenario.vars).toEqual({ port: { oneOf: [8081, 8090, 9000] }, restarts: { int: { min: 1, max: 3 } } });
    expect((scenario.document.faults[0] as { value: unknown }).value).toBe('{{ vars.port }}');
    expect(definition('secret-not-mounted').solutionDir).toBe(
      path.join(fixtureScenarios, 'secret-not-mounted', 'solution'),
    );
    expect(definition('stale-image-tag').solutionDir).toBeUndefined();
  });
});

describe('instantiateScenario', () => {
  it('renders templates with typed values, applies defaults, converts durations', () => {
    const scenario = instantiateScenario(definition('port-mismatch'), 7);
    const port = scenario.vars.port;
    expect([8081, 8090, 9000]).toContain(port);
    expect(scenario.faults[0]).toEqual({
      type: 'compose.set',
      phase: 'workspace',
      params: { path: 'services.api.environment.PORT', value: port, file: 'compose.yaml' },
    });
    expect(scenario.faults[1]?.params).toEqual({ name: 'API_PORT', value: String(port), file: '.env' });
    expect(scenario.symptoms[0]?.timing).toEqual({ timeoutMs: 2000, withinMs: 5000 });
    expect(scenario.symptoms[1]).toMatchObject({
      type: 'exec',
      timing: DEFAULT_TIMING.symptom,
      params: { command: ['sh', '-c', `curl -fsS http://127.0.0.1:${port}/health`] },
    });
    expect(scenario.checks[0]).toMatchObject({
      id: 'api-answers',
      title: 'api-answers',
      points: 50,
      timing: DEFAULT_TIMING.check,
    });
    expect(scenario.checks[2]?.params).toMatchObject({ expect: { restarts: { max: scenario.vars.restarts } } });
    expect(scenario.hints[0]).toEqual({
      after: { attempts: 1 },
      text: `Which port does the app log at startup? Is it ${port}?`,
    });
    expect(scenario.hints[1]?.after).toEqual({ elapsedMs: 480_000 });
    expect(scenario.debrief).toContain(`listened on ${port} while`);
    expect(scenario.solution).toEqual({ files: 'solution/', edits: [], then: ['apply'] });
    expect(scenario.maxScore).toBe(100);
    expect(scenario.seed).toBe(7);
  });

  it('is deterministic per seed and varies across seeds', () => {
    const scenario = definition('port-mismatch');
    expect(instantiateScenario(scenario, 42)).toEqual(instantiateScenario(scenario, 42));
    const ports = new Set(Array.from({ length: 60 }, (_, seed) => chooseVars(scenario, seed).port));
    expect(ports).toEqual(new Set([8081, 8090, 9000]));
    const restarts = new Set(Array.from({ length: 60 }, (_, seed) => chooseVars(scenario, seed).restarts));
    expect(restarts).toEqual(new Set([1, 2, 3]));
    // The scenario id is part of the seed: two scenarios with the same vars differ.
    const other = { id: 'another-scenario', vars: scenario.vars };
    expect(Array.from({ length: 20 }, (_, seed) => chooseVars(other, seed).port)).not.toEqual(
      Array.from({ length: 20 }, (_, seed) => chooseVars(scenario, seed).port),
    );
    // Declaration order does not matter.
    expect(chooseVars({ id: 'x', vars: { b: { oneOf: [1, 2, 3] }, a: { oneOf: [4, 5, 6] } } }, 3)).toEqual(
      chooseVars({ id: 'x', vars: { a: { oneOf: [4, 5, 6] }, b: { oneOf: [1, 2, 3] } } }, 3),
    );
  });

  it('splits escalation stages and entries into common fields and params', () => {
    const scenario = instantiateScenario(definition('stale-image-tag'), 1);
    expect(scenario.escalation).toEqual([
      {
        afterMs: 600_000,
        title: 'The database is now unreachable from the API',
        faults: [{ type: 'network.disconnect', phase: 'runtime', params: { service: 'db' } }],
      },
      {
        afterMs: 1_200_000,
        title: 'The api process froze',
        faults: [{ type: 'container.pause', phase: 'runtime', params: { service: 'api' } }],
      },
    ]);
    expect(scenario.solution.then).toEqual([
      'apply',
      { exec: { service: 'api', command: ['sh', '-c', `python3 -c "print('ok')"`] } },
    ]);
    const sql = instantiateScenario(definition('unapplied-migration'), 1);
    expect(sql.faults[0]).toMatchObject({
      type: 'sql',
      phase: 'runtime',
      params: { service: 'db', database: 'notes', user: 'notes' },
    });
  });
});

describe('templates', () => {
  it('renders, keeps types for exact references, leaves Go templates alone', () => {
    expect(renderTemplate('port {{ vars.port }} / {{vars.port}}', { port: 80 })).toBe('port 80 / 80');
    expect(renderValue({ a: '{{ vars.port }}', b: ['x{{ vars.flag }}'], c: 3 }, { port: 80, flag: true })).toEqual({
      a: 80,
      b: ['xtrue'],
      c: 3,
    });
    expect(renderTemplate("docker inspect -f '{{json .State.Health}}' {{ .Name }}", {})).toBe(
      "docker inspect -f '{{json .State.Health}}' {{ .Name }}",
    );
    expect(() => renderTemplate('{{ vars.nope }}', {})).toThrow(/undefined template variable vars\.nope/);
    expect(renderTemplate('{{ vars.nope }}', {}, 'keep')).toBe('{{ vars.nope }}');
  });

  it('finds references and malformed ones', () => {
    expect(findTemplateRefs('a {{ vars.x }} b {{var.y}} {{ vars.9 }}')).toEqual([
      { name: 'x', index: 2, length: 12 },
      { name: 'y', index: 17, length: 9, problem: 'write {{ vars.y }}, not {{ var.y }}' },
      { name: '9', index: 27, length: 12, problem: '"9" is not a variable name' },
    ]);
  });
});

describe('invalid scenarios: every error located on its node', () => {
  it('YAML syntax errors use the parser position', () => {
    expect(issuesOf((text) => text.replace('  - id: api-answers', '\t- id: api-answers'))).toEqual([
      '35:1: YAML syntax: Tabs are not allowed as indentation',
    ]);
    expect(
      issuesOf((text) => text.replace('title: Listening on the wrong port', 'title: "Listening on the wrong port'))[0],
    ).toMatch(/^\d+:\d+: YAML syntax: /);
  });

  it('unknown keys at the key, with a suggestion; the missing key they meant is not repeated', () => {
    expect(issuesOf((text) => text.replace('difficulty:', 'dificulty:'))).toEqual([
      '4:1: dificulty: unknown key `dificulty`; did you mean `difficulty`?',
    ]);
    expect(
      issuesOf((text) =>
        text.replace('    port: 8080\n    path: /health\n    points', '    prot: 8080\n    path: /health\n    points'),
      ),
    ).toEqual(['38:5: checks[0].prot: unknown key `prot`; did you mean `port`?']);
    expect(issuesOf((text) => text.replace('equals: { PORT: 8080 }', 'equal: { PORT: 8080 }'))).toEqual([
      '45:7: checks[1].expect.equal: unknown key `equal`; did you mean `equals`?',
    ]);
  });

  it('wrong types at the value; missing keys at the parent', () => {
    expect(issuesOf((text) => text.replace('port: 8080', 'port: eighty'))).toEqual([
      '26:11: symptoms[0].port: must be a number, got a string ("eighty")',
    ]);
    expect(issuesOf((text) => text.replace('expect: { status: 200 }', 'expect: { status: "ok" }'))).toEqual([
      '28:23: symptoms[0].expect.status: must be a number or a list, got a string ("ok")',
    ]);
    expect(issuesOf((text) => text.replace(/solution:[\s\S]*$/, ''))).toEqual(['2:1: missing required key `solution`']);
    expect(issuesOf((text) => text.replace('  - type: env.set\n    name: API_PORT\n', '  - type: env.set\n'))).toEqual([
      '20:5: faults[1]: missing required key `name`',
    ]);
    expect(issuesOf((text) => text.replace('difficulty: intermediate', 'difficulty: intermediat'))).toEqual([
      '4:13: difficulty: must be one of "beginner", "intermediate", "advanced", got "intermediat"; did you mean `intermediate`?',
    ]);
    expect(issuesOf((text) => text.replace('then: [apply]', 'then: [aply]'))).toEqual([
      '61:10: solution.then[0]: must be "apply", "rollback" or a mapping, got a string ("aply"); did you mean `apply`?',
    ]);
    expect(issuesOf((text) => text.replace(/hints:[\s\S]*?solution:/, 'hints: []\nsolution:'))).toEqual([
      '54:8: hints: needs at least 1 item',
    ]);
    expect(issuesOf((text) => text.replace('id: port-mismatch', 'id: Port_Mismatch'))).toEqual([
      '2:5: id: must be kebab-case (lowercase letters, digits and dashes), e.g. missing-env-var',
    ]);
  });

  it('unknown fault and check types, with a suggestion among the registered ones', () => {
    expect(issuesOf((text) => text.replace('type: compose.set', 'type: compose.sett'))).toEqual([
      '17:11: faults[0].type: unknown fault type `compose.sett`; did you mean `compose.set`?',
    ]);
    expect(issuesOf((text) => text.replace('type: http', 'type: htp'))).toEqual([
      '24:11: symptoms[0].type: unknown check type `htp`; did you mean `http`?',
    ]);
    expect(issuesOf((text) => text.replace('type: env.set', 'type: teleport'))[0]).toMatch(
      /^20:11: faults\[1\]\.type: unknown fault type `teleport` \(fault types: compose\.set, /,
    );
    expect(issuesOf((text) => text.replace('  - type: env.set\n', '  - \n'))[0]).toMatch(
      /^21:5: faults\[1\]: missing required key `type` \(fault types: /,
    );
  });

  it('services the lab does not define, with a suggestion', () => {
    expect(issuesOf((text) => text.replace('service: api', 'service: apii'))).toEqual([
      '25:14: symptoms[0].service: service `apii` is not defined in labs/notes-api/compose.yaml; did you mean `api`? (services: db, migrate, api)',
    ]);
    expect(
      issuesOf((text) => text.replace('path: services.api.environment.PORT', 'path: services.web.environment.PORT')),
    ).toEqual([
      '18:11: faults[0].path: service `web` is not defined in labs/notes-api/compose.yaml (services: db, migrate, api)',
    ]);
    expect(issuesOf((text) => text.replace('then: [apply]', 'then: [{exec: {service: dbb, command: ls}}]'))[0]).toMatch(
      /^61:27: solution\.then\[0\]\.exec\.service: service `dbb` is not defined .*did you mean `db`\?/,
    );
    expect(
      issuesOf(
        (text) => text.replace('    query: "SELECT', '    service: postgres\n    query: "SELECT'),
        'unapplied-migration',
      )[0],
    ).toMatch(/checks\[0\]\.service: service `postgres` is not defined/);
  });

  it('workspace faults that would find nothing in the lab', () => {
    expect(
      issuesOf(
        (text) =>
          text.replace(
            'path: services.api.healthcheck.test',
            'path: services.api.healthcheck.test\n    file: compose.yml',
          ),
        'wrong-healthcheck-path',
      ),
    ).toEqual([]);
    const unset = issuesOf(
      (text) => text.replace('path: services.api.secrets', 'path: services.api.secret'),
      'secret-not-mounted',
    );
    expect(unset).toEqual([
      '16:11: faults[0].path: labs/notes-api/compose.yaml has no services.api.secret to remove; did you mean `secrets`?',
    ]);
    const env = fixtureText('secret-not-mounted').replace(
      '  - type: compose.unset\n    path: services.api.secrets',
      '  - type: env.unset\n    name: LOG_LEVL',
    );
    expect(load(env, 'secret-not-mounted')).toMatchObject({
      ok: false,
      errors: [
        {
          line: 16,
          col: 11,
          message: 'faults[0].name: labs/notes-api/.env does not set LOG_LEVL; did you mean `LOG_LEVEL`?',
        },
      ],
    });
    const replace = fixtureText('secret-not-mounted').replace(
      '  - type: compose.unset\n    path: services.api.secrets',
      '  - type: file.replace\n    file: runbook.md\n    find: "## Restore"\n    replace: "## Gone"',
    );
    expect(load(replace, 'secret-not-mounted')).toMatchObject({
      ok: false,
      errors: [{ message: 'faults[0].find: labs/notes-api/runbook.md does not contain "## Restore"' }],
    });
    const badRegex = fixtureText('secret-not-mounted').replace(
      '  - type: compose.unset\n    path: services.api.secrets',
      '  - type: file.replace\n    file: runbook.md\n    find: "(## Rollback"\n    replace: x\n    regex: true',
    );
    expect(load(badRegex, 'secret-not-mounted')).toMatchObject({
      ok: false,
      errors: [
        {
          line: 17,
          col: 11,
          message: expect.stringMatching(/^faults\[0\]\.find: must be a valid regular expression \(regex: true\): /),
        },
      ],
    });
    const remove = fixtureText('secret-not-mounted').replace(
      '  - type: compose.unset\n    path: services.api.secrets',
      '  - type: file.remove\n    file: secrets/nope.txt',
    );
    expect(load(remove, 'secret-not-mounted')).toMatchObject({
      ok: false,
      errors: [{ message: 'faults[0].file: labs/notes-api/secrets/nope.txt does not exist' }],
    });
  });

  it('duplicate check ids and points that do not add up', () => {
    expect(issuesOf((text) => text.replace('id: restarts', 'id: api-answers'))).toEqual([
      '47:9: checks[2].id: duplicate check id `api-answers` (first used by checks[0])',
    ]);
    expect(issuesOf((text) => text.replace('points: 50', 'points: 40'))).toEqual([
      "34:1: checks: the checks' points add up to 90, but maxScore is 100: add 10 points or set maxScore: 90",
    ]);
    expect(issuesOf((text) => text.replace('maxScore: 100', 'maxScore: 90'))).toEqual([
      "34:1: checks: the checks' points add up to 100, but maxScore is 90: remove 10 points or set maxScore: 100",
    ]);
    expect(issuesOf((text) => text.replace('points: 50', 'points: 0'))).toEqual([
      '40:13: checks[0].points: must be greater than 0, got 0',
    ]);
  });

  it('durations and regular expressions', () => {
    expect(issuesOf((text) => text.replace('timeout: 2s', 'timeout: 2 seconds'))).toEqual([
      '29:14: symptoms[0].timeout: expected a duration like "5s", "500ms" or "2m", got "2 seconds"',
    ]);
    expect(
      issuesOf((text) => text.replace('matches: "^## Rollback"', 'matches: "(?m)^## Rollback"'), 'logs-not-collected'),
    ).toEqual(['43:16: checks[1].expect.matches: must be a valid regular expression']);
    expect(issuesOf((text) => text.replace('after: { elapsed: 8m }', 'after: { elapsed: soon }'))[0]).toMatch(
      /^57:23: hints\[1\]\.after\.elapsed: expected a duration/,
    );
  });

  it('variables: undefined, misspelt, malformed, in fields that are not rendered, unquoted', () => {
    expect(issuesOf((text) => text.replace('{{ vars.port }}/health', '{{ vars.prot }}/health'))).toEqual([
      '33:14: symptoms[1].command: undefined variable `vars.prot`; did you mean `vars.port`?',
    ]);
    expect(issuesOf((text) => text.replace('{{ vars.port }}/health', '{{ vars.zzz }}/health'))).toEqual([
      '33:14: symptoms[1].command: undefined variable `vars.zzz` (defined: vars.port, vars.restarts)',
    ]);
    expect(issuesOf((text) => text.replace('Is it {{ vars.port }}', 'Is it {{ var.port }}'))).toEqual([
      '56:11: hints[0].text: write {{ vars.port }}, not {{ var.port }}',
    ]);
    expect(
      issuesOf((text) => text.replace('title: Listening on the wrong port', 'title: Listening on {{ vars.port }}')),
    ).toEqual([
      '3:8: title: templates are not rendered in `title` (only in briefing, debrief, faults, symptoms, checks, hints, solution, escalation, wrongFixes, rightFixes, releases, grading)',
    ]);
    expect(issuesOf((text) => text.replace('value: "{{ vars.port }}"', 'value: {{ vars.port }}'))).toEqual([
      '19:13: faults[0].value: a mapping key must be a plain value, not a mapping or a list (a "{{ ... }}" template must be quoted)',
    ]);
    expect(issuesOf((text) => text.replace('int: { min: 1, max: 3 }', 'integer: { min: 1, max: 3 }'))).toEqual([
      '15:5: vars.restarts.integer: unknown key `integer`; did you mean `int`?',
      '15:5: vars.restarts: give exactly one of `oneOf` or `int`',
    ]);
    expect(issuesOf((text) => text.replace('int: { min: 1, max: 3 }', 'int: { min: 5, max: 3 }'))).toEqual([
      '15:10: vars.restarts.int: min must not be greater than max',
    ]);
    expect(issuesOf((text) => text.replace('restarts:\n    int', '9lives:\n    int'))).toEqual([
      '14:3: vars.9lives: a variable name is letters, digits and _, not starting with a digit',
      '51:24: checks[2].expect.restarts.max: undefined variable `vars.restarts` (defined: vars.port, vars.9lives)',
    ]);
  });

  it('type-checks every choice of a variable, naming the choice', () => {
    const issues = issuesOf((text) =>
      text
        .replace('max: "{{ vars.restarts }}"', 'max: "{{ vars.port }}"')
        .replace('oneOf: [8081, 8090, 9000]', 'oneOf: [8081, 8090, "9000x"]'),
    );
    expect(issues).toEqual([
      '51:24: checks[2].expect.restarts.max: must be a number, got a string ("9000x") (with vars.port = "9000x", vars.restarts = 1)',
    ]);
  });

  it('escalation faults must not touch the workspace', () => {
    const issues = issuesOf(
      (text) =>
        text.replace(
          '      - type: container.pause\n        service: api',
          '      - type: compose.unset\n        path: services.api.ports',
        ),
      'stale-image-tag',
    );
    expect(issues).toEqual([
      '71:15: escalation[1].faults[0].type: `compose.unset` is a workspace fault; escalation faults must act at runtime or on artifacts (the workspace belongs to the learner once the lab is active)',
    ]);
  });

  it('the lab, the id and its folder, the solution folder and its templates', () => {
    expect(issuesOf((text) => text.replace('lab: notes-api', 'lab: notes-apii'))).toEqual([
      `6:6: lab: no lab \`notes-apii\` in ${fixtureLabs}; did you mean \`notes-api\`?`,
    ]);
    expect(issuesOf((text) => text.replace('id: port-mismatch', 'id: port-mismatches'))).toEqual([
      '2:5: id: id `port-mismatches` must be the name of the scenario folder (`port-mismatch`)',
    ]);
    expect(issuesOf((text) => text.replace('files: solution/', 'files: solutions/'))).toEqual([
      '60:10: solution.files: folder "solutions/" does not exist next to the scenario file',
    ]);
    expect(issuesOf((text) => text.replace('files: solution/', 'files: ../elsewhere'))).toEqual([
      '60:10: solution.files: must be a folder inside the scenario folder, without ".."',
    ]);

    const dir = path.join(tempDir(), 'with-solution-template');
    cpSync(path.join(fixtureScenarios, 'port-mismatch'), dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'scenario.yaml'),
      fixtureText('port-mismatch').replace('id: port-mismatch', 'id: with-solution-template'),
    );
    writeFileSync(path.join(dir, 'solution', '.env'), 'API_PORT={{ vars.port }}\nOTHER={{ vars.portt }}\n');
    const result = loadScenarioFile(path.join(dir, 'scenario.yaml'), { labsDir: fixtureLabs });
    expect(result).toMatchObject({
      ok: false,
      errors: [
        {
          file: path.join(dir, 'solution', '.env'),
          line: 2,
          col: 7,
          message: 'undefined variable `vars.portt` in a solution file; did you mean `vars.port`?',
          path: '',
        },
      ],
    });
  });

  it('a lab whose compose file does not load', () => {
    const labs = tempDir();
    cpSync(fixtureLabs, labs, { recursive: true });
    writeFileSync(
      path.join(labs, 'notes-api', 'compose.yaml'),
      'services:\n  api:\n    image: x\n    network_mode: host\n',
    );
    const result = loadScenarioText(fixtureFile('missing-env-var'), fixtureText('missing-env-var'), { labsDir: labs });
    expect(result.ok ? [] : result.errors.map(short)).toEqual([
      "6:6: lab: the lab's compose file does not load: notes-api/compose.yaml:4:5: services.api.network_mode: not supported by breakfix (supported keys: image, build, environment, env_file, ports, secrets, volumes, healthcheck, depends_on, command, entrypoint, user, restart, mem_limit, cpus, networks, labels, logging, stop_signal, stop_grace_period, init); lab containers never get extra privileges or host namespaces",
    ]);
  });

  it('whole-file problems: empty, not a mapping, unreadable', () => {
    expect(load('').ok ? [] : (load('') as { errors: ScenarioIssue[] }).errors.map(short)).toEqual([
      '1:1: the scenario file is empty',
    ]);
    expect((load('- a\n') as { errors: ScenarioIssue[] }).errors.map(short)).toEqual([
      '1:1: a scenario file is a mapping (id, title, lab, faults, …), got a list',
    ]);
    const missing = loadScenarioFile(path.join(tempDir(), 'nope.yaml'));
    expect(missing).toMatchObject({
      ok: false,
      errors: [{ line: 1, col: 1, message: 'nope.yaml cannot be read (no such file?)' }],
    });
  });
});

describe('finding scenarios', () => {
  function scenariosRoot(): string {
    const root = tempDir();
    for (const id of fixtureIds) cpSync(path.join(fixtureScenarios, id), path.join(root, id), { recursive: true });
    return root;
  }

  it('listScenarios reads id, title, difficulty and tags, sorted by difficulty then id', () => {
    const list = listScenarios({ scenariosDir: scenariosRoot() });
    expect(list.map((entry) => `${entry.difficulty}:${entry.id}`)).toEqual([
      'beginner:missing-env-var',
      'beginner:wrong-healthcheck-path',
      'intermediate:logs-not-collected',
      'intermediate:port-mismatch',
      'intermediate:secret-not-mounted',
      'advanced:slow-under-load',
      'advanced:stale-image-tag',
      'advanced:unapplied-migration',
    ]);
    expect(list[0]).toMatchObject({
      title: 'The API dies on boot after a config cleanup',
      tags: ['config', 'environment'],
    });
    expect(listScenarios({ scenariosDir: path.join(tempDir(), 'none') })).toEqual([]);
  });

  it('loadScenarioById loads, or suggests', () => {
    const options = { scenariosDir: scenariosRoot(), labsDir: fixtureLabs };
    const found = loadScenarioById('port-mismatch', options);
    expect(found.ok && found.scenario.id).toBe('port-mismatch');
    expect(loadScenarioById('port-mismatc', options)).toMatchObject({
      ok: false,
      unknown: true,
      message: 'unknown scenario port-mismatc; did you mean port-mismatch?',
      suggestion: 'port-mismatch',
    });
    expect(loadScenarioById('zzz', options)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^unknown scenario zzz \(scenarios: missing-env-var, wrong-healthcheck-path, /),
    });
    expect(loadScenarioById('../etc', options)).toMatchObject({ ok: false, unknown: true });
  });

  it('validateScenarioPaths takes files, folders (recursively), and nothing (every scenario)', () => {
    const root = scenariosRoot();
    writeFileSync(
      path.join(root, 'port-mismatch', 'scenario.yaml'),
      fixtureText('port-mismatch').replace('points: 50', 'points: 5'),
    );
    const options = { scenariosDir: root, labsDir: fixtureLabs };
    const all = validateScenarioPaths([], options);
    expect(all.usageErrors).toEqual([]);
    expect(all.files.map((file) => `${path.basename(path.dirname(file.file))}:${file.ok}`)).toEqual(
      fixtureIds.map((id) => `${id}:${id !== 'port-mismatch'}`),
    );
    expect(validateScenarioPaths([path.join(root, 'missing-env-var')], options).files).toHaveLength(1);
    expect(validateScenarioPaths([path.join(root, 'missing-env-var', 'scenario.yaml')], options).files[0]?.ok).toBe(
      true,
    );
    mkdirSync(path.join(root, 'nested', 'deeper'), { recursive: true });
    cpSync(path.join(root, 'missing-env-var'), path.join(root, 'nested', 'deeper', 'missing-env-var'), {
      recursive: true,
    });
    expect(validateScenarioPaths([path.join(root, 'nested')], options).files.map((file) => file.ok)).toEqual([true]);
    const bad = validateScenarioPaths(
      [path.join(root, 'nope'), path.join(root, 'nested', 'deeper', 'missing-env-var', 'solution')],
      options,
    );
    expect(bad.usageErrors).toEqual([
      `${path.join(root, 'nope')}: no such file or folder`,
      `${path.join(root, 'nested', 'deeper', 'missing-env-var', 'solution')}: no scenario.yaml in this folder or below it`,
    ]);
  });
});

describe('the JSON Schema', () => {
  const schema = scenarioJsonSchema();
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);

  it('is draft 2020-12 with an $id, a title and descriptions from the registries', () => {
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:breakfix:scenario:v1',
      title: 'breakfix scenario',
      type: 'object',
    });
    const text = JSON.stringify(schema);
    for (const definition of [...faultRegistry, ...checkRegistry])
      expect(text).toContain(JSON.stringify(definition.summary).slice(1, -1));
    expect(text).toContain('"additionalProperties":false');
  });

  it.each(fixtureIds)('accepts fixture %s as written (durations as strings, templates)', (id) => {
    const ok = validate(parse(fixtureText(id)));
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  it.runIf(realScenarioFiles.length > 0).each(realScenarioFiles)(
    'accepts real scenario %s (when it is valid YAML)',
    (file) => {
      const document = parseDocument(readFileSync(file, 'utf8'));
      if (document.errors.length > 0) return; // reported by the loader's own test
      const ok = validate(document.toJS());
      expect(ok ? [] : validate.errors).toEqual([]);
    },
  );

  it('rejects unknown keys, unknown types and wrong types', () => {
    const data = parse(fixtureText('missing-env-var')) as Record<string, unknown>;
    expect(validate({ ...data, bogus: 1 })).toBe(false);
    expect(validate({ ...data, faults: [{ type: 'nope' }] })).toBe(false);
    expect(validate({ ...data, difficulty: 'hard' })).toBe(false);
    expect(validate({ ...data, checks: [{ id: 'x', type: 'http', service: 'api', points: 'many' }] })).toBe(false);
  });

  it('is committed as scenarios/scenario.schema.json (run with BREAKFIX_UPDATE_GENERATED=1 to refresh)', () => {
    const file = path.join(scenariosDir, 'scenario.schema.json');
    const expected = `${JSON.stringify(schema, null, 2)}\n`;
    if (process.env.BREAKFIX_UPDATE_GENERATED === '1') {
      mkdirSync(scenariosDir, { recursive: true });
      writeFileSync(file, expected);
    }
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '(missing)').toBe(expected);
  });
});

describe('the registries fit the scenario format', () => {
  it('no param reuses a common key of its entry', () => {
    for (const definition of faultRegistry)
      for (const key of FAULT_COMMON_KEYS)
        expect(Object.keys(definition.params.shape), `${definition.type}.${key}`).not.toContain(key);
    for (const definition of checkRegistry) {
      for (const key of [...CHECK_COMMON_KEYS, ...SYMPTOM_COMMON_KEYS])
        expect(Object.keys(definition.params.shape), `${definition.type}.${key}`).not.toContain(key);
    }
  });

  it('the real labs folder has the notes-api lab the fixtures mirror', () => {
    expect(existsSync(path.join(labsDir, 'notes-api', 'compose.yaml'))).toBe(true);
  });
});

describe('wrong fixes, solution edits, releases, grading', () => {
  it('instantiates them with absolute folders and parsed edits', () => {
    const missing = instantiateScenario(definition('missing-env-var'), 3);
    const variable = missing.vars.missing;
    expect(missing.wrongFixes).toEqual([
      {
        title: 'set the variable to a plausible but wrong value',
        edits: [
          {
            type: 'compose.set',
            phase: 'workspace',
            params: { path: `services.api.environment.${String(variable)}`, value: 'localhost', file: 'compose.yaml' },
          },
        ],
        then: ['apply'],
      },
      {
        title: 'restore an old copy of the compose file',
        filesDir: path.join(fixtureScenarios, 'missing-env-var', 'wrong-fixes', 'old-compose'),
        edits: [],
        then: ['apply'],
      },
    ]);
    const secret = instantiateScenario(definition('secret-not-mounted'), 1);
    expect(secret.solution.edits).toEqual([
      {
        type: 'compose.set',
        phase: 'workspace',
        params: { path: 'services.api.secrets', value: ['db_password'], file: 'compose.yaml' },
      },
    ]);
    const stale = instantiateScenario(definition('stale-image-tag'), 1);
    expect(stale.releases).toEqual([
      {
        from: 'releases/1.4.0',
        note: "1.4.0, last week's release",
        faults: [{ type: 'sql', phase: 'runtime', params: expect.objectContaining({ service: 'db' }) }],
      },
    ]);
    expect(stale.grading).toEqual({ steps: ['apply'] });
  });

  it('edits must be workspace faults, release faults runtime faults', () => {
    expect(
      issuesOf(
        (text) =>
          text.replace(
            '    - type: compose.set\n      path: services.api.secrets',
            '    - type: container.stop\n      service: api\n    - type: compose.set\n      path: services.api.secrets',
          ),
        'secret-not-mounted',
      ),
    ).toEqual([
      '46:13: solution.edits[0].type: `container.stop` is a runtime fault; edits change workspace files, so use a workspace type (compose.set, compose.unset, file.replace, file.write, file.remove, env.set, env.unset)',
    ]);
    expect(
      issuesOf(
        (text) =>
          text.replace(
            '      - type: sql\n        statement:',
            '      - type: file.remove\n        file: x\n      - type: sql\n        statement:',
          ),
        'stale-image-tag',
      ),
    ).toEqual([
      "78:15: releases[0].faults[0].type: `file.remove` is a workspace fault; a release's faults act on its running containers (runtime faults only)",
    ]);
  });

  it('folders of wrong fixes and releases must exist; services in edits must exist', () => {
    expect(
      issuesOf(
        (text) => text.replace('files: wrong-fixes/old-compose', 'files: wrong-fixes/missing'),
        'missing-env-var',
      ),
    ).toEqual(['64:12: wrongFixes[1].files: folder "wrong-fixes/missing" does not exist next to the scenario file']);
    expect(
      issuesOf((text) => text.replace('  - from: releases/1.4.0', '  - from: releases/1.3.0'), 'stale-image-tag'),
    ).toEqual(['75:11: releases[0].from: labs/notes-api/releases/1.3.0 has no compose.yaml']);
    expect(
      issuesOf((text) => text.replace('    from: releases/1.4.0', '    from: releases/1.3.0'), 'stale-image-tag'),
    ).toEqual([
      '17:11: faults[0].from: labs/notes-api/releases/1.3.0/Dockerfile does not exist (the fault builds from it)',
    ]);
    expect(
      issuesOf(
        (text) =>
          text.replace(
            'path: services.api.environment.{{ vars.missing }}\n        value: localhost',
            'path: services.web.environment.X\n        value: localhost',
          ),
        'missing-env-var',
      )[0],
    ).toMatch(/^61:15: wrongFixes\[0\]\.edits\[0\]\.path: service `web` is not defined/);
  });
});
