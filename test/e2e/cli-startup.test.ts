/**
 * `breakfix --help` and `breakfix list` must start fast: they may not load Ink, React or the
 * Docker clients (testcontainers, dockerode). The built CLI runs with a preloaded module hook
 * that records every resolved module and who imported it, so a failure names the chain of
 * imports to cut. (Timings are measured by bench/cli-startup.ts, not asserted here.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const node = path.join(root, 'node_modules', '.bin', 'node');
const main = path.join(root, 'dist', 'cli', 'main.js');
const hook = pathToFileURL(path.join(root, 'test', 'support', 'record-imports.mjs')).href;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bf-startup-'));

/** Packages that cost hundreds of milliseconds and are only needed by commands that use them. */
const HEAVY = ['ink', 'react', 'react-reconciler', 'testcontainers', 'dockerode', 'docker-modem'];

const MY_COMMANDS = [
  'list',
  'start',
  'status',
  'check',
  'apply',
  'rollback',
  'releases',
  'progress',
  'hint',
  'reset',
  'stop',
  'watch',
  'logs',
  'verify',
  'gc',
];

function packageOf(url: string): string | undefined {
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return match?.[1];
}

function short(url: string): string {
  return url.startsWith('file://') ? path.relative(root, fileURLToPath(url)) : url;
}

function run(args: string[]): { status: number | null; stdout: string; stderr: string; heavy: string[] } {
  const record = path.join(scratch, `${args.join('_').replace(/[^a-z_-]/gi, '')}.tsv`);
  const result = spawnSync(node, ['--import', hook, main, ...args], {
    cwd: scratch,
    encoding: 'utf8',
    env: { ...process.env, RECORD_IMPORTS_TO: record, NO_COLOR: '1' },
    timeout: 30_000,
  });
  const parents = new Map<string, string>();
  for (const line of readFileSync(record, 'utf8').split('\n')) {
    const [parent, url] = line.split('\t');
    if (url) parents.set(url, parent ?? '');
  }
  // For each heavy package: the import chain from the CLI's own code that pulled it in.
  const heavy: string[] = [];
  for (const name of HEAVY) {
    const first = [...parents.keys()].find((url) => packageOf(url) === name);
    if (!first) continue;
    const chain: string[] = [];
    for (let url: string | undefined = first; url && chain.length < 30; url = parents.get(url)) {
      if (!packageOf(url) || url === first) chain.unshift(short(url));
    }
    heavy.push(`${name}: ${chain.join(' → ')}`);
  }
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, heavy };
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('start-up cost of the CLI', () => {
  it('`breakfix list` loads no Ink, React or Docker client', () => {
    const result = run(['list']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.heavy).toEqual([]);
  });

  it('`breakfix --help` loads no Ink, React or Docker client', () => {
    const result = run(['--help']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Commands:');
    expect(
      result.heavy,
      'each entry names the import chain that pulled the module in; command modules must import heavy code inside their action',
    ).toEqual([]);
  });

  it.each(MY_COMMANDS)('`breakfix %s --help` loads nothing heavy and ends with an example', (name) => {
    const result = run([name, '--help']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Examples:\n {2}\$ breakfix /);
    expect(result.heavy).toEqual([]);
  });
});
