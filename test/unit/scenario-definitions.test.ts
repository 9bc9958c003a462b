/** Valid scenarios, instantiation, discovery, the JSON Schema, the registries, wrong fixes and releases. */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse, parseDocument } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import {
  definition,
  fixtureFile,
  fixtureIds,
  fixtureLabs,
  fixtureScenarios,
  fixtureText,
  issuesOf,
  realScenarioFiles,
  removeTempDirs,
  tempDir,
} from '../support/scenario-fixtures.js';
import { checkRegistry } from '../../engine/checks/registry.js';
import { faultRegistry } from '../../engine/faults/registry.js';
import { labsDir, scenariosDir } from '../../engine/paths.js';
import {
  CHECK_COMMON_KEYS,
  DEFAULT_TIMING,
  FAULT_COMMON_KEYS,
  SYMPTOM_COMMON_KEYS,
  chooseVars,
  formatIssue,
  instantiateScenario,
  listScenarios,
  loadScenarioById,
  loadScenarioFile,
  scenarioJsonSchema,
  validateScenarioPaths,
} from '../../engine/scenario/index.js';

afterAll(removeTempDirs);

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
