/** Invalid scenario files: every error located on its node; templates. */
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fixtureFile,
  fixtureLabs,
  fixtureScenarios,
  fixtureText,
  issuesOf,
  load,
  removeTempDirs,
  short,
  tempDir,
} from '../support/scenario-fixtures.js';

import {
  findTemplateRefs,
  loadScenarioFile,
  loadScenarioText,
  renderTemplate,
  renderValue,
  type ScenarioIssue,
} from '../../engine/scenario/index.js';

afterAll(removeTempDirs);

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

  it('services a fix adds itself are known to that fix only (a sidecar, a renamed job)', () => {
    const sidecar = [
      'wrongFixes:',
      '  - title: ship the log file from a sidecar',
      '    edits:',
      '      - type: compose.set',
      '        path: services.log-shipper',
      '        value: { image: notes-api:2.0.0, command: [sleep, infinity] }',
      '      - type: compose.set',
      '        path: services.log-shipper.mem_limit',
      '        value: 32m',
      '    then: [apply, { exec: { service: log-shipper, command: ls } }]',
      '  - title: another fix uses the sidecar it never added',
      '    edits:',
      '      - type: compose.set',
      '        path: services.log-shipper.restart',
      '        value: "no"',
      '    then: [apply]',
      '',
    ].join('\n');
    const issues = issuesOf((text) => `${text}${sidecar}`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/wrongFixes\[1\]\.edits\[0\]\.path: service `log-shipper` is not defined/);
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
