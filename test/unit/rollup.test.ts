/**
 * `breakfix report`: result files → the class roll-up → md, csv, json and GitHub Classroom's
 * result document. The CSV is parsed back with a real CSV parser; the classroom document is
 * checked against the shape the autograding reporter reads, and its scores must add up.
 */
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  buildRollup,
  csvTable,
  parseResultFile,
  parseRoster,
  renderRollup,
  rollupJson,
  toClassroom,
  type ResultRecord,
  type Roster,
} from '../../engine/grading/rollup/index.js';
import { result, WRONG_PORT } from './rollup-fixtures.js';

function record(file: string, value: unknown): ResultRecord {
  const parsed = parseResultFile(file, JSON.stringify(value, null, 2));
  if (!parsed.ok) throw new Error(parsed.issues.map((issue) => issue.message).join('\n'));
  return parsed.record;
}

function roster(text: string): Roster {
  const parsed = parseRoster('roster.csv', text);
  if (!parsed.ok) throw new Error(parsed.issues.map((issue) => issue.message).join('\n'));
  return parsed.roster;
}

const CLASS = [
  record('ada-old.json', result('ada', 'wrong-port', WRONG_PORT(40, 0), '2026-03-01T09:00:00.000Z')),
  record('ada.json', result('ada', 'wrong-port', WRONG_PORT(40, 40), '2026-03-01T10:00:00.000Z')),
  record('grace.json', result('grace', 'wrong-port', WRONG_PORT(40, 0, 0), '2026-03-01T10:05:00.000Z')),
  record('linus.json', result('linus', 'wrong-port', WRONG_PORT(0, 0, 0), '2026-03-01T10:06:00.000Z')),
  record(
    'grace-env.json',
    result(
      'grace',
      'missing-env-var',
      [
        { id: 'api-up', max: 70, got: 70 },
        { id: 'db-ready', max: 30, got: 0, errored: true },
      ],
      '2026-03-01T11:00:00.000Z',
    ),
  ),
];

describe('reading result files', () => {
  it('reads what grade --reporter json writes, learner and provenance included', () => {
    const [, ada] = CLASS;
    expect(ada).toMatchObject({ learner: 'ada', scenario: 'wrong-port', score: 100, learnerFromFileName: false });
    expect(ada!.scenarioHash).toBe('sha256:0f');
  });

  it('files a result without a learner under its file name, and says so', () => {
    const anonymous = record(
      'reports/kim.json',
      result(undefined, 'wrong-port', WRONG_PORT(40, 40), '2026-03-01T10:00:00Z'),
    );
    expect(anonymous).toMatchObject({ learner: 'kim', learnerFromFileName: true });
    expect(buildRollup([anonymous]).notes).toContain(
      'reports/kim.json names no learner: filed under "kim" (grade with --learner)',
    );
  });

  it('reports broken JSON, a wrong shape and sums that do not add up at file:line:col', () => {
    const broken = parseResultFile('bad.json', '{\n  "scenario": "x",\n  "passed": tru\n}');
    expect(broken.ok).toBe(false);
    if (!broken.ok)
      expect(broken.issues[0]).toEqual({ file: 'bad.json', line: 3, col: 13, message: 'not JSON: invalid symbol' });

    const shape = result('ada', 'wrong-port', WRONG_PORT(40, 40), '2026-03-01T10:00:00Z') as Record<string, unknown>;
    (shape.checks as Array<Record<string, unknown>>)[1]!.points = 'forty';
    const wrong = parseResultFile('shape.json', JSON.stringify(shape, null, 2));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(wrong.issues[0]!.message).toMatch(/^checks\[1\]\.points: /);
      const lines = JSON.stringify(shape, null, 2).split('\n');
      expect(lines[wrong.issues[0]!.line - 1]).toContain('"points": "forty"');
    }

    const edited = { ...result('ada', 'wrong-port', WRONG_PORT(40, 0), '2026-03-01T10:00:00Z'), score: 100 };
    const tampered = parseResultFile('edited.json', JSON.stringify(edited, null, 2));
    expect(tampered.ok).toBe(false);
    if (!tampered.ok)
      expect(tampered.issues.map((issue) => issue.message)).toContain(
        "score: 100 is not the sum of the checks' points (60)",
      );
  });

  it('reads a roster and refuses one without a learner column or with a learner twice', () => {
    const parsed = roster('Student,ID,learner\n"Lovelace, Ada",101,ada\n');
    expect(parsed.columns).toEqual(['Student', 'ID']);
    expect(parsed.identities.get('ada')).toEqual({ Student: 'Lovelace, Ada', ID: '101' });
    const missing = parseRoster('r.csv', 'name,id\nAda,1\n');
    expect(missing.ok).toBe(false);
    const twice = parseRoster('r.csv', 'learner,lms_id\nada,1\nada,2\n');
    expect(twice.ok ? [] : twice.issues).toEqual([
      { file: 'r.csv', line: 3, col: 1, message: 'ada is on the roster twice' },
    ]);
  });
});

describe('the roll-up', () => {
  const rollup = buildRollup(CLASS);

  it('keeps the latest result per learner and scenario and counts the attempts', () => {
    const ada = rollup.cells.find((cell) => cell.learner === 'ada')!;
    expect(ada).toMatchObject({ score: 100, passed: true, attempts: 2, file: 'ada.json' });
    expect(rollup.notes).toContain('ada has 2 results for wrong-port: the latest (ada.json) counts');
    // Given in the other order, the later end time still wins.
    expect(buildRollup([...CLASS].reverse()).cells.find((cell) => cell.learner === 'ada')!.file).toBe('ada.json');
  });

  it('computes pass rate, mean score and the check failed most often per scenario', () => {
    const wrongPort = rollup.scenarios.find((figures) => figures.scenario === 'wrong-port')!;
    expect(wrongPort).toMatchObject({ graded: 3, passed: 1, maxScore: 100 });
    expect(wrongPort.passRate).toBeCloseTo(1 / 3);
    expect(wrongPort.meanScore).toBeCloseTo((100 + 40 + 0) / 3);
    // api-healthy and notes-work both failed for grace and linus; api-healthy comes first in the scenario.
    expect(wrongPort.mostFailed).toEqual({ id: 'api-healthy', title: 'The API | is healthy', failed: 2 });
    const env = rollup.scenarios.find((figures) => figures.scenario === 'missing-env-var')!;
    expect(env.mostFailed).toEqual({ id: 'db-ready', title: 'db-ready', failed: 1 });
  });

  it('totals each learner out of every scenario, graded or not', () => {
    expect(
      rollup.learners.map(({ learner, score, maxScore, passed, graded }) => [learner, score, maxScore, passed, graded]),
    ).toEqual([
      ['ada', 100, 200, 1, 1],
      ['grace', 110, 200, 0, 2],
      ['linus', 0, 200, 0, 1],
    ]);
  });
});

describe('--format csv', () => {
  const classRoster = roster(
    'Student,ID,SIS User ID,learner\n"Lovelace, Ada",101,"S-""1""",ada\n"Hopper,\nGrace",102,S-2,grace\nTuring,103,S-3,alan\n',
  );
  const rollup = buildRollup(CLASS, classRoster);

  it('parses back (csv-parse) to the same rows: one per learner, named columns, roster identities first', () => {
    const text = renderRollup(rollup, 'csv');
    const parsed = parse(text, { columns: true }) as Array<Record<string, string>>;
    const { header, rows } = csvTable(rollup);
    expect(header).toEqual(['Student', 'ID', 'SIS User ID', 'learner', 'missing-env-var', 'wrong-port', 'total']);
    expect(parsed).toEqual(rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index]]))));
    expect(parsed).toEqual([
      {
        Student: 'Lovelace, Ada',
        ID: '101',
        'SIS User ID': 'S-"1"',
        learner: 'ada',
        'missing-env-var': '',
        'wrong-port': '100',
        total: '100',
      },
      {
        Student: 'Hopper,\nGrace',
        ID: '102',
        'SIS User ID': 'S-2',
        learner: 'grace',
        'missing-env-var': '70',
        'wrong-port': '40',
        total: '110',
      },
      // On the roster, never graded: a row with empty scores, so the gradebook shows who is missing.
      {
        Student: 'Turing',
        ID: '103',
        'SIS User ID': 'S-3',
        learner: 'alan',
        'missing-env-var': '',
        'wrong-port': '',
        total: '',
      },
      // Graded, not on the roster: kept (with a note) rather than silently dropped.
      {
        Student: '',
        ID: '',
        'SIS User ID': '',
        learner: 'linus',
        'missing-env-var': '',
        'wrong-port': '0',
        total: '0',
      },
    ]);
    expect(rollup.notes).toContain('linus is not on the roster: their row has no LMS identity');
    expect(text.split('\r\n')[0]).toBe('Student,ID,SIS User ID,learner,missing-env-var,wrong-port,total');
  });

  it('without a roster: learner, one column per scenario, total', () => {
    const parsed = parse(renderRollup(buildRollup(CLASS), 'csv'), { columns: true }) as Array<Record<string, string>>;
    expect(parsed.map((row) => Object.keys(row))).toEqual(
      Array(3).fill(['learner', 'missing-env-var', 'wrong-port', 'total']),
    );
    expect(parsed.map((row) => row.total)).toEqual(['100', '110', '0']);
  });
});

/** The document GitHub Classroom's autograding reporter reads (and its graders write). */
const ClassroomSchema = z
  .object({
    version: z.literal(1),
    status: z.enum(['pass', 'fail', 'error']),
    max_score: z.number(),
    tests: z.array(
      z
        .object({
          name: z.string().min(1),
          status: z.enum(['pass', 'fail', 'error']),
          score: z.number(),
          max_score: z.number(),
          message: z.string().nullable(),
          test_code: z.string(),
          filename: z.string(),
          line_no: z.number().int(),
          execution_time: z.string().regex(/^\d+(\.\d+)?s$/),
        })
        .strict(),
    ),
  })
  .strict();

describe('--format classroom', () => {
  const graceOnly = buildRollup(CLASS.filter((entry) => entry.learner === 'grace'));

  it('has the documented shape, one test per check, and adds up to the score', () => {
    const document = ClassroomSchema.parse(JSON.parse(renderRollup(graceOnly, 'classroom')));
    expect(document.tests.map((test) => [test.name, test.status, test.score, test.max_score])).toEqual([
      ['missing-env-var: api-up', 'pass', 70, 70],
      ['missing-env-var: db-ready', 'error', 0, 30],
      ['wrong-port: api-reachable (The API answers on its port)', 'pass', 40, 40],
      ['wrong-port: api-healthy (The API | is healthy)', 'fail', 0, 40],
      ['wrong-port: notes-work', 'fail', 0, 20],
    ]);
    const total = document.tests.reduce((sum, test) => sum + test.score, 0);
    expect(total).toBe(graceOnly.learners[0]!.score);
    expect(document.max_score).toBe(document.tests.reduce((sum, test) => sum + test.max_score, 0));
    expect(document.max_score).toBe(200);
    expect(document.status).toBe('fail');
    expect(document.tests[3]!.message).toBe('api-healthy: expected 200, got 502');
  });

  it('is pass when every check passed, error when only errored checks kept it from passing', () => {
    expect(toClassroom(buildRollup([CLASS[1]!])).status).toBe('pass');
    expect(toClassroom(buildRollup([CLASS[4]!])).status).toBe('error');
  });

  it("refuses more than one learner's results", () => {
    expect(() => toClassroom(buildRollup(CLASS))).toThrow(
      /one learner's document, but the results are of 3 learners \(ada, grace, linus\)/,
    );
  });
});

describe('--format md and json', () => {
  const rollup = buildRollup(CLASS);

  it("md: every table row has its header row's column count, a pipe in a title is escaped", () => {
    const text = renderRollup(rollup, 'md');
    expect(text).toMatch(/^# Class results\n\n3 learners · 2 scenarios · 4 results\n/);
    const tables = text.split('\n\n').filter((block) => block.startsWith('|'));
    expect(tables).toHaveLength(3);
    for (const table of tables) {
      const cells = table.split('\n').map((row) => row.replace(/\\\|/g, '').split('|').length);
      expect(new Set(cells).size).toBe(1);
    }
    expect(text).toContain('| ada | — | ✓ 100/100 | 100/200 |');
    expect(text).toContain('| grace | ✗ 70/100 | ✗ 40/100 | 110/200 |');
    expect(text).toContain('| wrong-port | 3 | 1 | 33% | 46.7/100 | api-healthy (The API \\| is healthy): 2 of 3 |');
    expect(text).toContain('| ada | wrong-port | 100/100 | yes | 2026-03-01 10:00:00 UTC | 9.0 s | 2 |');
  });

  it('json: the same roll-up as data, failed checks by id, the same bytes for the same files', () => {
    const text = renderRollup(rollup, 'json');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(rollupJson(rollup))));
    const parsed = JSON.parse(text) as ReturnType<typeof rollupJson>;
    expect(parsed.results.find((cell) => cell.learner === 'linus')!.failedChecks).toEqual([
      'api-reachable',
      'api-healthy',
      'notes-work',
    ]);
    expect(renderRollup(buildRollup(CLASS), 'json')).toBe(text);
  });
});
