/**
 * An instructor's first course, outside breakfix's checkout, as docs/courses.md tells it:
 * breakfix is packed (`npm pack`), installed into an empty project from the tarball, and
 * `course init` writes a course with a lab of its own (an image built FROM breakfix/base with
 * apt, not notes-api). From that folder: `list`, `validate`, `preview`, `verify --wrong-fixes`,
 * then a learner's `start`, `check` (broken: exit 1), the fix, `apply`, `check` (exit 0),
 * `stop`, and `grade --course`. Nothing labelled with the course's scenario is left.
 *
 * The installed package runs on the Node found on PATH (docs: Node 22 or newer); the test puts
 * the project's own Node 22 first, as a user's machine would have it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bf-course-'));
const course = path.join(scratch, 'my-course');
const node22 = path.join(root, 'node_modules', 'node', 'bin');
const env = {
  ...process.env,
  NO_COLOR: '1',
  CI: 'true',
  PATH: `${node22}${path.delimiter}${process.env.PATH ?? ''}`,
};
const SCENARIO = 'site-unreachable';
const TOOLS = 'my-course/tools:1';

function run(command: string, args: string[], cwd: string, timeout = 600_000) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout, maxBuffer: 32 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const npx = (args: string[], timeout?: number) => run('npx', ['--no-install', 'breakfix', ...args], course, timeout);

/** Every container, network, volume and image that carries the course scenario's label. */
function labelled(): string[] {
  const filter = `label=breakfix.scenario=${SCENARIO}`;
  return [
    ['ps', '-aq', '--filter', filter],
    ['network', 'ls', '-q', '--filter', filter],
    ['volume', 'ls', '-q', '--filter', filter],
    ['image', 'ls', '-q', '--filter', filter],
  ].flatMap((args) =>
    execFileSync('docker', args, { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== ''),
  );
}

afterAll(() => {
  for (const workspace of ['site-unreachable'].map((name) => path.join(course, name)))
    spawnSync('npx', ['--no-install', 'breakfix', 'stop', '--workspace', workspace], {
      cwd: course,
      env,
      timeout: 120_000,
    });
  spawnSync('docker', ['image', 'rm', '-f', TOOLS], { encoding: 'utf8' });
  rmSync(scratch, { recursive: true, force: true });
});

describe('a course of its own, with breakfix installed from the packed tarball', () => {
  it('pack, install, course init, list, validate, preview, verify --wrong-fixes, start, check, apply, grade --course', () => {
    const started = performance.now();
    // Where the minutes go, printed with the total: the slowest step is the one to make cheaper.
    const laps: string[] = [];
    let lapStarted = started;
    const lap = (name: string) => {
      const now = performance.now();
      laps.push(`${name} ${((now - lapStarted) / 1000).toFixed(0)} s`);
      lapStarted = now;
    };
    // dist/ is built (the docker project's setup does it), so pack skips `prepare`.
    const packed = run('npm', ['pack', '--ignore-scripts', '--pack-destination', scratch, '--silent'], root);
    expect(packed.code, packed.stderr).toBe(0);
    const tarball = path.join(scratch, readdirSync(scratch).find((name) => name.endsWith('.tgz')) ?? '');
    const kib = Math.round(statSync(tarball).size / 1024);

    // An empty project: npm init, then breakfix from the tarball (its dependencies from npm's
    // cache when the checkout's `npm ci` filled it).
    execFileSync('mkdir', ['-p', course]);
    expect(run('npm', ['init', '-y'], course).code).toBe(0);
    const installed = run(
      'npm',
      ['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline', tarball],
      course,
      900_000,
    );
    expect(installed.code, installed.stderr.slice(-2000)).toBe(0);
    lap('pack and install');

    const init = npx(['course', 'init', '.']);
    expect(init.code, init.stderr).toBe(0);
    expect(readFileSync(path.join(course, 'breakfix-course.yaml'), 'utf8')).toMatch(/^id: my-course$/m);

    // The course's scenario first, then the built-in course beside it.
    const list = npx(['list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const ids = (JSON.parse(list.stdout) as Array<{ id: string }>).map((entry) => entry.id);
    expect(ids[0]).toBe(SCENARIO);
    expect(ids).toContain('wrong-port');

    // An image recipe of the course's own: `breakfix images` builds it after breakfix's, labelled
    // with its recipe hash, and a second run finds it current.
    execFileSync('mkdir', ['-p', path.join(course, 'images', 'tools')]);
    writeFileSync(
      path.join(course, 'images', 'tools', 'Dockerfile'),
      'FROM breakfix/base:bookworm\nRUN echo "my-course tools" > /etc/my-course-tools\n',
    );
    writeFileSync(
      path.join(course, 'breakfix-course.yaml'),
      `${readFileSync(path.join(course, 'breakfix-course.yaml'), 'utf8')}images:\n  - tag: ${TOOLS}\n    recipe: images/tools\n`,
    );
    const images = npx(['images']);
    expect(images.code, images.stdout + images.stderr).toBe(0);
    expect(images.stdout).toMatch(/1 of \d+ images built/);
    expect(execFileSync('docker', ['run', '--rm', TOOLS, 'cat', '/etc/my-course-tools'], { encoding: 'utf8' })).toBe(
      'my-course tools\n',
    );
    expect(
      execFileSync('docker', ['image', 'inspect', '-f', '{{index .Config.Labels "breakfix.recipe"}}', TOOLS], {
        encoding: 'utf8',
      }).trim(),
    ).toMatch(/^[0-9a-f]+$/);
    expect(npx(['images']).stdout).toMatch(/all \d+ images up to date/);
    lap('init, list, images');

    const validate = npx(['validate']);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout + validate.stderr).toMatch(/1 lab compose file and 1 scenario file valid/);

    const preview = npx(['preview', SCENARIO, '--seed', '1']);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/Debrief/i);

    // The scenario proven as the course's CI workflow does (--until-rejected): symptoms, checks
    // fail, every wrong fix rejected and every right fix accepted (live and through grade), the
    // solution passes, nothing leaks.
    const verify = npx(['verify', SCENARIO, '--wrong-fixes', '--until-rejected', '--json'], 1_200_000);
    const report = JSON.parse(verify.stdout || '{}') as {
      ok?: boolean;
      scenarios?: Array<{ ok: boolean; fixes: Array<{ kind: string; ok: boolean; title: string; error?: string }> }>;
    };
    expect(verify.code, verify.stdout.slice(-4000) || verify.stderr.slice(-4000)).toBe(0);
    expect(report.ok).toBe(true);
    const fixes = report.scenarios?.[0]?.fixes ?? [];
    expect(fixes.filter((fix) => fix.kind === 'wrong').length).toBeGreaterThanOrEqual(4);
    expect(fixes.filter((fix) => fix.kind === 'right').length).toBeGreaterThanOrEqual(1);
    lap('validate, preview, verify --wrong-fixes');

    // A learner: the workspace defaults to ./site-unreachable; broken until fixed.
    const workspace = path.join(course, SCENARIO);
    const start = npx(['start', SCENARIO, '--seed', '3', '--detach']);
    expect(start.code, start.stderr).toBe(0);
    const broken = npx(['check', '--workspace', workspace]);
    expect(broken.code, broken.stdout + broken.stderr).toBe(1);

    // The fix the course's own solution describes: serve on the port compose publishes and probes.
    const composeFile = path.join(workspace, 'compose.yaml');
    const compose = parseDocument(readFileSync(composeFile, 'utf8'));
    compose.deleteIn(['services', 'web', 'environment', 'PORT']);
    writeFileSync(composeFile, compose.toString());
    const apply = npx(['apply', '--workspace', workspace]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const fixed = npx(['check', '--workspace', workspace]);
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(npx(['stop', '--workspace', workspace]).code).toBe(0);
    lap('start, check, apply, check, stop');

    // CI grading of the same submission, naming the course.
    const grade = npx([
      'grade',
      SCENARIO,
      '--course',
      '.',
      '--workspace',
      workspace,
      '--seed',
      '3',
      '--reporter',
      'json',
    ]);
    expect(grade.code, grade.stderr).toBe(0);
    expect((JSON.parse(grade.stdout) as { passed: boolean }).passed).toBe(true);

    expect(labelled()).toEqual([]);
    lap('grade --course');
    process.stdout.write(
      `[course-pack] tarball ${kib} KiB; pack → grade in ${((performance.now() - started) / 1000).toFixed(0)} s (${laps.join(', ')})\n`,
    );
  }, 2_400_000);
});
