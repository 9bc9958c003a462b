/**
 * `breakfix course init`: the course it writes validates as written (its lab, its scenario with
 * a solution, right fixes and at least four wrong fixes, the dry run of every edit), carries the
 * schema its modeline points at and a workflow that verifies it; a second init is refused before
 * anything is written. `preview` renders the scenario's texts with a seed, without Docker.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { courseIdFrom, initCourse } from '../../engine/course/init.js';
import { validatePaths } from '../../engine/course/validate-files.js';
import { scenarioJsonSchema } from '../../engine/scenario/index.js';
import { loadScenarioFile } from '../../engine/scenario/load.js';
import { instantiateScenario } from '../../engine/scenario/instantiate.js';
import { removeTempDirs, tempDir } from '../support/scenario-fixtures.js';

afterAll(removeTempDirs);

async function freshCourse(name = 'Net Basics') {
  const dir = path.join(tempDir(), name);
  const schema = `${JSON.stringify(await scenarioJsonSchema(), null, 2)}\n`;
  return { dir, schema, result: initCourse(dir, { schema, version: '0.1.0' }) };
}

describe('course init', () => {
  it('writes a course that validates as written, with its red team, schema and CI workflow', async () => {
    const { dir, schema, result } = await freshCourse();
    expect(result.id).toBe('net-basics');
    expect(result.files).toEqual(
      expect.arrayContaining([
        'breakfix-course.yaml',
        'README.md',
        'package.json',
        '.github/workflows/verify.yml',
        'labs/status-site/compose.yaml',
        'labs/status-site/Dockerfile',
        'scenarios/scenario.schema.json',
        'scenarios/site-unreachable/scenario.yaml',
      ]),
    );
    expect(readFileSync(path.join(dir, 'breakfix-course.yaml'), 'utf8')).toMatch(/^id: net-basics$/m);
    expect(readFileSync(path.join(dir, 'breakfix-course.yaml'), 'utf8')).toMatch(/^breakfix: ">=0\.1\.0"$/m);
    expect(readFileSync(path.join(dir, 'labs/status-site/Dockerfile'), 'utf8')).toMatch(
      /^FROM breakfix\/base:bookworm$[\s\S]*apt-get install/m,
    );
    expect(readFileSync(path.join(dir, 'scenarios/scenario.schema.json'), 'utf8')).toBe(schema);
    expect(readFileSync(path.join(dir, '.github/workflows/verify.yml'), 'utf8')).toContain(
      'npx breakfix verify --all --wrong-fixes',
    );
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))).toMatchObject({
      devDependencies: { breakfix: '^0.1.0' },
    });

    const loaded = loadScenarioFile(path.join(dir, 'scenarios/site-unreachable/scenario.yaml'));
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    if (!loaded.ok) return;
    expect(loaded.scenario.course?.id).toBe('net-basics');
    const scenario = instantiateScenario(loaded.scenario, 1);
    expect(scenario.wrongFixes?.length).toBeGreaterThanOrEqual(4);
    expect(scenario.rightFixes?.length).toBeGreaterThanOrEqual(1);
    expect(scenario.solution).toBeDefined();

    const validation = await validatePaths([], { cwd: dir, env: {} });
    expect(validation.files.flatMap((entry) => entry.errors)).toEqual([]);
    expect(validation.files.map((entry) => entry.kind).sort()).toEqual(['course', 'lab', 'scenario']);
  });

  it('refuses a folder that holds a course or a file it would overwrite, writing nothing', async () => {
    const { dir, schema } = await freshCourse('twice');
    expect(() => initCourse(dir, { schema })).toThrow(/already holds a course/);
    const clash = tempDir();
    writeFileSync(path.join(clash, 'README.md'), 'mine\n');
    expect(() => initCourse(clash, { schema })).toThrow(/already has README\.md/);
    expect(existsSync(path.join(clash, 'breakfix-course.yaml'))).toBe(false);
    expect(readFileSync(path.join(clash, 'README.md'), 'utf8')).toBe('mine\n');
  });

  it('makes course ids of folder names', () => {
    expect(courseIdFrom('Net Basics 2')).toBe('net-basics-2');
    expect(courseIdFrom('--ops_101--')).toBe('ops-101');
  });
});

describe('preview', () => {
  it("prints the briefing, the hints with when they unlock and the debrief, with the seed's variables", async () => {
    const { dir } = await freshCourse('preview-course');
    const { Command } = await import('commander');
    const { register } = await import('../../cli/commands/preview.js');
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const program = new Command().exitOverride();
      register(program);
      const file = path.join(dir, 'scenarios/site-unreachable/scenario.yaml');
      await program.parseAsync(['node', 'breakfix', 'preview', file, '--seed', '2', '--json']);
    } finally {
      spy.mockRestore();
    }
    const shown = JSON.parse(written.join('')) as {
      seed: number;
      vars: { port: number };
      debrief: string;
      hints: Array<{ unlocks: string }>;
    };
    expect(shown.seed).toBe(2);
    expect(shown.debrief).toContain(`port ${shown.vars.port},`);
    expect(shown.hints[0]?.unlocks).toBe('after 1 failed check round(s)');
  });
});
