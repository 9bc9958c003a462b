/**
 * `breakfix report` as a command (exit codes, --out, messages) and the learner ids that
 * `grade --learner` and the roll-up share.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../cli/commands/report.js';
import { defaultLearner, normaliseLearner } from '../../engine/grading/learner.js';
import { result, WRONG_PORT } from './rollup-fixtures.js';

describe('breakfix report (command)', () => {
  let dir: string;
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      io: {
        stdout: { write: (text: string) => ((out.stdout += text), true) },
        stderr: { write: (text: string) => ((out.stderr += text), true) },
      },
    };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bf-report-'));
    await writeFile(
      path.join(dir, 'ada.json'),
      JSON.stringify(result('ada', 'wrong-port', WRONG_PORT(40, 40), '2026-03-01T10:00:00Z')),
    );
    await writeFile(path.join(dir, 'bad.json'), '{"scenario": "wrong-port",\n "passed": }');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exit 0: writes the file given to --out and prints one summary line', async () => {
    const { out, io: streams } = io();
    const target = path.join(dir, 'out', 'class.csv');
    expect(await runReport([path.join(dir, 'ada.json')], { format: 'csv', out: target }, streams)).toBe('ok');
    expect(out.stdout).toBe(`1 learner, 1 scenario, 1 result (csv report: ${target})\n`);
    expect(await readFile(target, 'utf8')).toBe('learner,wrong-port,total\r\nada,100,100\r\n');
  });

  it('exit 1: an invalid result file, named at file:line:col, nothing written', async () => {
    const { out, io: streams } = io();
    expect(await runReport([path.join(dir, 'ada.json'), path.join(dir, 'bad.json')], { format: 'md' }, streams)).toBe(
      'failed',
    );
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(new RegExp(`^${path.join(dir, 'bad.json')}:2:12: not JSON: value expected\n`));
  });

  it('exit 2: a missing file, or classroom given two learners', async () => {
    const { out, io: streams } = io();
    expect(await runReport([path.join(dir, 'nobody.json')], { format: 'md' }, streams)).toBe('error');
    expect(out.stderr).toContain('cannot read the result file');
    await writeFile(
      path.join(dir, 'bob.json'),
      JSON.stringify(result('bob', 'wrong-port', WRONG_PORT(0, 0, 0), '2026-03-01T10:00:00Z')),
    );
    expect(
      await runReport([path.join(dir, 'ada.json'), path.join(dir, 'bob.json')], { format: 'classroom' }, streams),
    ).toBe('error');
  });
});

describe('learner ids', () => {
  it('accepts logins, names and e-mail addresses; refuses control characters and leading punctuation', () => {
    expect(normaliseLearner('  Ada   Lovelace ')).toBe('Ada Lovelace');
    expect(normaliseLearner('ada.l+cs101@example.edu')).toBe('ada.l+cs101@example.edu');
    expect(normaliseLearner('-rf')).toBeUndefined();
    expect(normaliseLearner('ada\u0007')).toBeUndefined();
    expect(normaliseLearner('x'.repeat(101))).toBeUndefined();
  });

  it('defaults to GITHUB_ACTOR, else git user.name of the workspace, else nothing', async () => {
    const repo = await mkdtemp(path.join(os.tmpdir(), 'bf-learner-'));
    try {
      execFileSync('git', ['init', '-q', repo]);
      execFileSync('git', ['-C', repo, 'config', 'user.name', 'Grace Hopper']);
      expect(await defaultLearner(repo, { GITHUB_ACTOR: 'octocat' })).toBe('octocat');
      expect(await defaultLearner(repo, {})).toBe('Grace Hopper');
      // An actor that is not a valid id falls through to git.
      expect(await defaultLearner(repo, { GITHUB_ACTOR: '\u0000' })).toBe('Grace Hopper');
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  });
});
