/**
 * One writer per session file: writes from one process are queued in call order, temp names
 * never collide (the ENOENT on `session.json.<pid>.tmp` came from two writes of one process
 * sharing a name), readers only ever see whole files, and writers in several processes at once
 * leave a whole file and no temp files behind.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readSessionFile, writeSessionFile, type SessionFile } from '../../engine/session/store.js';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function scratch(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bf-store-'));
  roots.push(root);
  return root;
}

const session = (workspace: string, revision: number): SessionFile => ({
  format: 1,
  sessionId: 'abc123',
  scenarioId: 'wrong-port',
  seed: 1,
  workspace,
  createdAt: new Date(0).toISOString(),
  revision,
  progress: { state: 'deploying', pid: process.pid, since: 'x'.repeat(8 * 1024) },
});

/** Reads the file as fast as it can until `done`, counting reads that did not parse. */
async function readWhile(file: string, done: () => boolean): Promise<{ reads: number; torn: number }> {
  let reads = 0;
  let torn = 0;
  while (!done()) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) {
      reads += 1;
      try {
        JSON.parse(text);
      } catch {
        torn += 1;
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { reads, torn };
}

describe('session file writes', () => {
  it('200 concurrent writes in one process: none fails, the last call wins, readers see whole files', async () => {
    const workspace = await scratch();
    await writeSessionFile(workspace, session(workspace, -1));
    let finished = false;
    const reader = readWhile(path.join(workspace, '.breakfix', 'session.json'), () => finished);
    const writes = Array.from({ length: 200 }, (_, revision) =>
      writeSessionFile(workspace, session(workspace, revision)),
    );
    const outcomes = await Promise.allSettled(writes);
    finished = true;
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect((await readSessionFile(workspace)).revision).toBe(199);
    const { reads, torn } = await reader;
    expect(reads).toBeGreaterThan(0);
    expect(torn).toBe(0);
    expect(await readdir(path.join(workspace, '.breakfix'))).toEqual(['session.json']);
  });

  it('four processes writing one file at once: all succeed, the file is whole, no temp file is left', async () => {
    const root = await scratch();
    const file = path.join(root, '.breakfix', 'session.json');
    const writer = fileURLToPath(new URL('../support/state-file-writer.mjs', import.meta.url));
    // Node 22 imports state-file.ts directly (type stripping): it imports only node: and npm modules.
    const node = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
    let finished = false;
    const reader = readWhile(file, () => finished);
    const codes = await Promise.all(
      ['a', 'b', 'c', 'd'].map(
        (name) =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn(node, [writer, file, name, '50'], { stdio: ['ignore', 'ignore', 'pipe'] });
            let stderr = '';
            child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
            child.on('close', (code) => resolve({ code, stderr }));
          }),
      ),
    );
    finished = true;
    expect(codes).toEqual(Array.from({ length: 4 }, () => ({ code: 0, stderr: expect.any(String) })));
    expect(codes.map((entry) => entry.stderr).filter((text) => /Error/.test(text))).toEqual([]);
    const last = JSON.parse(await readFile(file, 'utf8')) as { writer: string; index: number };
    expect(last.index).toBe(49);
    const { torn } = await reader;
    expect(torn).toBe(0);
    expect(await readdir(path.dirname(file))).toEqual(['session.json']);
  });
});
