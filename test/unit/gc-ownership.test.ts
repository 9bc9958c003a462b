/**
 * gc's liveness rule for labs that belong to a process (verify's labs, grade's sandbox): alive
 * while that process lives, garbage once it is gone — even though their temporary workspace is
 * still on disk and their session file says "active".
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectGarbage, isSessionLive } from '../../engine/session/gc.js';
import { LABELS } from '../../engine/runtime/labels.js';
import type { ResourceRef, Runtime } from '../../engine/runtime/runtime.js';
import { writeSessionFile, type SessionFile } from '../../engine/session/store.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function workspaceWith(extra: Partial<SessionFile>): Promise<string> {
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'breakfix-gc-'));
  dirs.push(workspace);
  await writeSessionFile(workspace, {
    format: 1,
    sessionId: 'abc123',
    scenarioId: 'wrong-port',
    seed: 1,
    workspace,
    createdAt: new Date().toISOString(),
    revision: 1,
    snapshot: {},
    state: 'active',
    ...extra,
  });
  return workspace;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('gc and labs owned by a process', () => {
  it('keeps a learner lab with no owner: it lives without any process', async () => {
    expect(await isSessionLive('abc123', await workspaceWith({}))).toBe(true);
  });

  it('keeps a lab whose owner is still running', async () => {
    expect(await isSessionLive('abc123', await workspaceWith({ owner: { pid: process.pid } }))).toBe(true);
  });

  it('collects a lab whose owner is gone, although its workspace and active state remain', async () => {
    expect(await isSessionLive('abc123', await workspaceWith({ owner: { pid: deadPid() } }))).toBe(false);
  });

  it('collects a lab whose workspace holds another session', async () => {
    expect(await isSessionLive('other1', await workspaceWith({}))).toBe(false);
  });
});

describe('gc and a resource Docker refuses to remove', () => {
  it('removes what it can, reports the refusal as skipped and goes on with the next session', async () => {
    const resource = (session: string, kind: ResourceRef['kind'], name: string): ResourceRef => ({
      kind,
      id: `${name}-id`,
      name,
      labels: { [LABELS.session]: session, [LABELS.workspace]: '/nonexistent/workspace' },
    });
    let present = [
      resource('dead01', 'network', 'bf-dead01-default'),
      resource('dead01', 'volume', 'bf-dead01-db-data'),
      resource('dead02', 'volume', 'bf-dead02-db-data'),
    ];
    const runtime = {
      listLabelled: async (key: string, value?: string) =>
        present.filter((entry) => value === undefined || entry.labels[key] === value),
      removeResource: async (entry: ResourceRef) => {
        if (entry.kind === 'network')
          throw new Error(`error while removing network: network ${entry.name} has active endpoints`);
        present = present.filter((other) => other.id !== entry.id);
      },
      removeImages: async () => undefined,
    } as unknown as Runtime;
    const report = await collectGarbage(runtime);
    expect(report.removed.map((entry) => entry.name).sort()).toEqual(['bf-dead01-db-data', 'bf-dead02-db-data']);
    expect(report.skipped).toEqual([{ session: 'dead01', reason: expect.stringMatching(/has active endpoints/) }]);
    expect(present.map((entry) => entry.name)).toEqual(['bf-dead01-default']);
  });
});
