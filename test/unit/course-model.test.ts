/**
 * Courses without Docker: breakfix-course.yaml (its problems at file:line:col), which courses a
 * command sees (BREAKFIX_COURSE, the nearest upward, the built-in one once), every form an
 * instructor types for a scenario, labs of a course (symlinked ones too, and the built-in ones
 * beside them), the course's order in `list`, and `validate` of a whole course — including the
 * dry run of the edits that catches a `find` an earlier fault already rewrote.
 */
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { courseManifestIssues } from '../../engine/course/manifest-issues.js';
import {
  activeCourses,
  builtinCourse,
  courseOrder,
  listCourseScenarios,
  locateScenario,
} from '../../engine/course/index.js';
import { validatePaths } from '../../engine/course/validate-files.js';
import { packageRoot } from '../../engine/paths.js';
import { loadScenarioFile } from '../../engine/scenario/load.js';
import { removeTempDirs, tempDir } from '../support/scenario-fixtures.js';

afterAll(removeTempDirs);

const COMPOSE = `services:
  web:
    image: breakfix/python:3.11
    command: ["python3", "-m", "http.server", "8000"]
    environment:
      GREETING: hello
      MODE: production
    ports:
      - "8000"
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8000/"]
      interval: 1s
    mem_limit: 64m
`;

function scenarioText(id: string, lab: string, extra = ''): string {
  return `id: ${id}
title: ${id} breaks
difficulty: beginner
lab: ${lab}
briefing: The site is down.
debrief: A variable was missing.
faults:
  - type: compose.unset
    path: services.web.environment.GREETING
symptoms:
  - type: container
    service: web
    expect: { running: true }
checks:
  - id: web-up
    type: http
    service: web
    path: /
    expect: { status: 200 }
    points: 100
hints:
  - text: Read the logs.
solution:
  edits:
    - type: compose.set
      path: services.web.environment.GREETING
      value: hello
${extra}`;
}

function makeCourse(
  options: { id?: string; scenarios?: string[]; modules?: string; lab?: string; labLink?: string } = {},
): string {
  const dir = realpathSync(tempDir());
  const id = options.id ?? 'net-basics';
  const scenarios = options.scenarios ?? ['site-down'];
  const lab = options.lab ?? 'site';
  writeFileSync(
    path.join(dir, 'breakfix-course.yaml'),
    `id: ${id}
title: Networking basics
breakfix: ">=0.1.0"
modules:
${
  options.modules ??
  `  - title: First
    scenarios: [${scenarios.join(', ')}]
`
}`,
  );
  mkdirSync(path.join(dir, 'labs'), { recursive: true });
  if (options.labLink) symlinkSync(options.labLink, path.join(dir, 'labs', lab));
  else {
    mkdirSync(path.join(dir, 'labs', lab));
    writeFileSync(path.join(dir, 'labs', lab, 'compose.yaml'), COMPOSE);
  }
  for (const scenario of scenarios) {
    mkdirSync(path.join(dir, 'scenarios', scenario), { recursive: true });
    writeFileSync(path.join(dir, 'scenarios', scenario, 'scenario.yaml'), scenarioText(scenario, lab));
  }
  return dir;
}

describe('breakfix-course.yaml', () => {
  it('reports each problem at its line, with "did you mean" for a mistyped key', () => {
    const dir = tempDir();
    const file = path.join(dir, 'breakfix-course.yaml');
    writeFileSync(
      file,
      `id: Net Basics
title: Networking
breakfix: "not a range"
modules:
  - title: First
    scenarios: [a-b, a-b]
imagse: []
`,
    );
    const issues = courseManifestIssues(file).map((issue) => `${issue.line}:${issue.col}: ${issue.message}`);
    expect(issues).toEqual([
      '1:5: id: must be kebab-case, e.g. net-basics, got "Net Basics"',
      '3:11: breakfix: must be a semver range of breakfix versions, e.g. ">=0.1.0 <1", got "not a range"',
      '6:22: modules[0].scenarios[1]: a-b is already listed (modules[0])',
      '7:1: imagse: unknown key; did you mean `images`?',
    ]);
  });

  it("breakfix's own course lists every built-in scenario once, in the order a learner follows", () => {
    const course = builtinCourse();
    expect(course).toMatchObject({ id: 'breakfix', builtin: true, dir: realpathSync(packageRoot) });
    expect(courseOrder(course)).toContain('missing-env-var');
    expect(courseOrder(course)[0]).toBe('missing-env-var');
  });
});

describe('which courses a command sees', () => {
  it('inside breakfix itself: the built-in course, once', () => {
    expect(activeCourses({ cwd: path.join(packageRoot, 'scenarios'), env: {} }).map((course) => course.id)).toEqual([
      'breakfix',
    ]);
  });

  it('the nearest breakfix-course.yaml upward, or BREAKFIX_COURSE, first; the built-in course beside it', () => {
    const dir = makeCourse();
    const nested = path.join(dir, 'scenarios', 'site-down');
    expect(activeCourses({ cwd: nested, env: {} }).map((course) => course.id)).toEqual(['net-basics', 'breakfix']);
    expect(activeCourses({ cwd: tempDir(), env: { BREAKFIX_COURSE: dir } }).map((course) => course.id)).toEqual([
      'net-basics',
      'breakfix',
    ]);
    expect(() => activeCourses({ cwd: dir, env: { BREAKFIX_COURSE: tempDir() } })).toThrow(
      /is not a course: it has no breakfix-course\.yaml/,
    );
  });
});

describe('naming a scenario', () => {
  it('every form an instructor tries names the same file: id, course/id, folder, scenario.yaml, relative or absolute', () => {
    const dir = makeCourse();
    const file = path.join(dir, 'scenarios', 'site-down', 'scenario.yaml');
    const outside = tempDir();
    const env = { BREAKFIX_COURSE: dir };
    for (const ref of [
      'site-down',
      'net-basics/site-down',
      path.join(dir, 'scenarios', 'site-down'),
      file,
      path.relative(outside, file),
      path.relative(outside, path.dirname(file)),
    ])
      expect(locateScenario(ref, { cwd: outside, env }), ref).toMatchObject({ id: 'site-down', file });
    // A path works with no course selected at all: its course is the one around the file.
    expect(locateScenario(file, { cwd: outside, env: {} }).course?.id).toBe('net-basics');
  });

  it('an id two courses share is refused with both qualified names; an unknown one gets "did you mean"', () => {
    const dir = makeCourse({ scenarios: ['wrong-port'] });
    const input = { cwd: dir, env: {} };
    expect(() => locateScenario('wrong-port', input)).toThrow(
      'scenario wrong-port is in more than one course: net-basics/wrong-port or breakfix/wrong-port',
    );
    expect(locateScenario('breakfix/wrong-port', input).file).toBe(
      path.join(realpathSync(packageRoot), 'scenarios', 'wrong-port', 'scenario.yaml'),
    );
    expect(() => locateScenario('wrong-prot', input)).toThrow(/unknown scenario wrong-prot; did you mean wrong-port\?/);
    const listed = listCourseScenarios(input);
    expect(listed[0]).toMatchObject({ id: 'wrong-port', course: 'net-basics', ref: 'net-basics/wrong-port' });
    expect(listed.find((entry) => entry.course === 'breakfix' && entry.id === 'wrong-port')?.ref).toBe(
      'breakfix/wrong-port',
    );
    expect(listed.find((entry) => entry.id === 'missing-env-var')?.ref).toBe('missing-env-var');
  });
});

describe('labs of a course', () => {
  it("a scenario deploys its course's lab, a symlinked lab as its real folder, or a built-in lab", () => {
    const own = makeCourse();
    const loaded = loadScenarioFile(path.join(own, 'scenarios', 'site-down', 'scenario.yaml'));
    expect(loaded.ok && loaded.scenario).toMatchObject({
      labDir: path.join(own, 'labs', 'site'),
      course: { id: 'net-basics', dir: own },
    });

    const real = path.join(realpathSync(tempDir()), 'kept-elsewhere');
    mkdirSync(real);
    writeFileSync(path.join(real, 'compose.yaml'), COMPOSE);
    const linked = makeCourse({ labLink: real });
    const viaLink = loadScenarioFile(path.join(linked, 'scenarios', 'site-down', 'scenario.yaml'));
    expect(viaLink.ok && viaLink.scenario.labDir).toBe(real);

    const builtin = makeCourse();
    writeFileSync(
      path.join(builtin, 'scenarios', 'site-down', 'scenario.yaml'),
      scenarioText('site-down', 'notes-api').replaceAll('web', 'api').replaceAll('GREETING', 'DATABASE_HOST'),
    );
    const onNotes = loadScenarioFile(path.join(builtin, 'scenarios', 'site-down', 'scenario.yaml'));
    expect(onNotes.ok ? onNotes.scenario.labDir : onNotes.errors).toBe(path.join(packageRoot, 'labs', 'notes-api'));
  });
});

describe('validate a course', () => {
  it('the course file, each lab and each scenario: valid as made', async () => {
    const dir = makeCourse();
    const { files, usageErrors } = await validatePaths([], { cwd: dir, env: {} });
    expect(usageErrors).toEqual([]);
    expect(files.map((file) => [file.kind, path.relative(dir, file.file), file.ok])).toEqual([
      ['course', 'breakfix-course.yaml', true],
      ['lab', 'labs/site/compose.yaml', true],
      ['scenario', 'scenarios/site-down/scenario.yaml', true],
    ]);
  });

  it('a module naming a missing scenario, a scenario in no module, a lab that does not load', async () => {
    const dir = makeCourse({
      scenarios: ['site-down', 'stray'],
      modules: '  - title: First\n    scenarios: [site-down, ghost]\n',
    });
    writeFileSync(
      path.join(dir, 'labs', 'site', 'compose.yaml'),
      COMPOSE.replace('mem_limit: 64m', 'privileged: true'),
    );
    const { files } = await validatePaths([dir], { env: {} });
    const errors = files.flatMap((file) =>
      file.errors.map((issue) => `${path.relative(dir, issue.file)}:${issue.line}: ${issue.message}`),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        "breakfix-course.yaml:4: modules: stray is in scenarios/ but in no module: a learner following the course never reaches it (add it to a module's scenarios)",
        'breakfix-course.yaml:6: modules[0].scenarios[1]: no scenario ghost: scenarios/ghost/scenario.yaml does not exist',
      ]),
    );
    expect(errors.some((line) => line.startsWith('labs/site/compose.yaml:') && /privileged/.test(line))).toBe(true);
  });

  it('catches a find that only the untouched lab has: the edits run in order on the lab, as start runs them', async () => {
    const dir = makeCourse();
    const file = path.join(dir, 'scenarios', 'site-down', 'scenario.yaml');
    writeFileSync(
      file,
      scenarioText('site-down', 'site')
        .replace(
          'faults:\n',
          'faults:\n  - type: file.replace\n    file: compose.yaml\n    find: "MODE: production"\n    replace: "MODE: debug"\n',
        )
        .replace(
          'solution:\n  edits:\n',
          'solution:\n  edits:\n    - type: file.replace\n      file: compose.yaml\n      find: "MODE: production"\n      replace: "MODE: prod"\n',
        ),
    );
    const { files } = await validatePaths([file], { env: {} });
    expect(files[0]?.ok).toBe(false);
    expect(files[0]?.errors.map((issue) => `${issue.line}: ${issue.message}`)).toEqual([
      `31: solution.edits[0].find: on the broken lab after the solution's files and edits before it: this edit does not apply (compose.yaml does not contain "MODE: production")`,
    ]);
  });
});
