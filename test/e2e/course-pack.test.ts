/**
 * Course packs, as an instructor meets them: breakfix packed with `npm pack`, the tarball
 * installed into an empty project outside the checkout, `course init` there, and the course's
 * own lab (status-site: an image built FROM breakfix/base with apt), kept outside labs/ and
 * linked in, driven through list, validate, verify --wrong-fixes, start, check and grade
 * --course. Nothing labelled with the course's scenario is left.
 *
 * The installed breakfix runs on "the user's own Node": the Node 22 of the checkout's `node`
 * dev dependency, put first on PATH; with an older Node first it says so in one line (exit 2).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'bf-course-pack-')));
const project = path.join(scratch, 'net-course');
const bin = path.join(project, 'node_modules', '.bin', 'breakfix');
const node22 = path.dirname(realpathSync(path.join(root, 'node_modules', '.bin', 'node')));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  NO_COLOR: '1',
  PATH: `${node22}${path.delimiter}${process.env.PATH ?? ''}`,
};
delete env.BREAKFIX_COURSE;
const SCENARIO = 'site-unreachable';

function run(command: string, args: string[], cwd: string, timeout = 300_000) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env, timeout });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr };
}
const breakfix = (args: string[], cwd = project, timeout?: number) => run(bin, args, cwd, timeout);

/** Everything Docker holds that belongs to this course's scenario (no other test uses its id). */
function labelled(): string[] {
  const filter = `label=breakfix.scenario=${SCENARIO}`;
  const list = (...args: string[]) =>
    execFileSync('docker', args, { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '');
  return [
    ...list('ps', '-a', '--filter', filter, '--format', '{{.Names}}'),
    ...list('network', 'ls', '--filter', filter, '--format', '{{.Name}}'),
    ...list('volume', 'ls', '--filter', filter, '--format', '{{.Name}}'),
    ...list('images', '--filter', filter, '--format', '{{.Repository}}:{{.Tag}}'),
  ];
}

let tarballBytes = 0;
const workspace = path.join(project, SCENARIO);

beforeAll(() => {
  // The tarball of the checkout as built (CI builds before it tests; `prepare` would build again).
  const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], root);
  expect(pack.code, pack.stderr).toBe(0);
  const packed = JSON.parse(pack.stdout) as Array<{ filename: string }>;
  const tarball = path.join(scratch, packed[0]?.filename ?? 'no tarball');
  tarballBytes = statSync(tarball).size;
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ name: 'net-course', private: true })}\n`);
  const install = run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', tarball],
    project,
    600_000,
  );
  expect(install.code, install.stderr).toBe(0);
}, 900_000);

afterAll(() => {
  if (existsSync(path.join(workspace, '.breakfix', 'session.json')))
    breakfix(['stop', '--workspace', workspace], project, 120_000);
  rmSync(scratch, { recursive: true, force: true });
});

describe('a course pack installed from the npm tarball', () => {
  it('course init, a linked lab of its own, list, validate, verify --wrong-fixes, start, check, grade --course', () => {
    console.log(`[course-pack] tarball ${(tarballBytes / 1024).toFixed(0)} KiB`);
    const installed = path.join(project, 'node_modules', 'breakfix');
    for (const shipped of [
      'dist/cli/main.js',
      'breakfix-course.yaml',
      'labs/images/base/Dockerfile',
      'templates/course',
    ])
      expect(existsSync(path.join(installed, shipped)), shipped).toBe(true);

    // An older Node first on PATH: one line, exit 2 (only where the machine has one).
    const systemNode = spawnSync('node', ['--version'], { encoding: 'utf8' }).stdout.trim();
    if (Number.parseInt(systemNode.slice(1), 10) < 22) {
      const old = spawnSync(bin, ['list'], { cwd: project, encoding: 'utf8', env: { ...env, PATH: process.env.PATH } });
      expect(old.status).toBe(2);
      expect(old.stderr.trim().split('\n')).toEqual([expect.stringMatching(/Node .* is too old.*Node >= 22/)]);
    }

    const init = breakfix(['course', 'init', '.', '--title', 'Networking for web teams']);
    expect(init.code, init.output).toBe(0);
    expect(readFileSync(path.join(project, 'breakfix-course.yaml'), 'utf8')).toMatch(/^id: net-course$/m);
    expect(readFileSync(path.join(project, 'scenarios', SCENARIO, 'scenario.yaml'), 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/scenario\.schema\.json$/m,
    );
    expect(existsSync(path.join(project, 'scenarios', 'scenario.schema.json'))).toBe(true);
    expect(readFileSync(path.join(project, '.github', 'workflows', 'verify.yml'), 'utf8')).toContain(
      'npx breakfix verify --all --wrong-fixes',
    );
    // The lab lives elsewhere in the instructor's repository and is linked into labs/.
    mkdirSync(path.join(project, 'shared'));
    renameSync(path.join(project, 'labs', 'status-site'), path.join(project, 'shared', 'status-site'));
    symlinkSync(path.join('..', 'shared', 'status-site'), path.join(project, 'labs', 'status-site'));
    expect(readFileSync(path.join(project, 'labs', 'status-site', 'Dockerfile'), 'utf8')).toMatch(
      /FROM breakfix\/base:bookworm[\s\S]*apt-get install/,
    );

    const list = breakfix(['list', '--json']);
    expect(list.code, list.output).toBe(0);
    const listed = JSON.parse(list.stdout) as Array<{ id: string; course: string }>;
    expect(listed[0]).toMatchObject({ id: SCENARIO, course: 'net-course' });
    expect(listed.some((entry) => entry.course === 'breakfix')).toBe(true);

    const validate = breakfix(['validate']);
    expect(validate.code, validate.output).toBe(0);
    expect(validate.stdout).toMatch(/1 course file, 1 lab compose file and 1 scenario file valid/);

    const verify = breakfix(['verify', SCENARIO, '--wrong-fixes', '--json'], project, 900_000);
    expect(verify.code, verify.output).toBe(0);

    // A learner's round from another folder: the workspace remembers its course.
    const start = breakfix(['start', SCENARIO, '--seed', '3']);
    expect(start.code, start.output).toBe(0);
    const session = JSON.parse(readFileSync(path.join(workspace, '.breakfix', 'session.json'), 'utf8')) as {
      course?: { id: string };
      scenarioHash?: string;
    };
    expect(session.course?.id).toBe('net-course');
    expect(session.scenarioHash).toMatch(/^sha256:/);
    const broken = breakfix(['check', '--workspace', workspace], scratch);
    expect(broken.code, broken.output).toBe(1);
    writeFileSync(
      path.join(workspace, 'compose.yaml'),
      readFileSync(path.join(workspace, 'compose.yaml'), 'utf8').replace(/PORT: "\d+"/, 'PORT: "8080"'),
    );
    const submission = path.join(scratch, 'submission');
    cpSync(workspace, submission, { recursive: true, filter: (source) => !source.includes(`${path.sep}.breakfix`) });
    const stop = breakfix(['stop', '--workspace', workspace]);
    expect(stop.code, stop.output).toBe(0);

    const grade = breakfix(
      ['grade', SCENARIO, '--course', project, '--workspace', submission, '--seed', '3', '--reporter', 'json'],
      scratch,
    );
    expect(grade.code, grade.output).toBe(0);
    const report = JSON.parse(grade.stdout) as { course?: string; scenarioHash?: string; passed: boolean };
    expect(report).toMatchObject({ course: 'net-course', passed: true });
    expect(report.scenarioHash).toBe(session.scenarioHash);

    expect(labelled()).toEqual([]);
  }, 1_500_000);
});
