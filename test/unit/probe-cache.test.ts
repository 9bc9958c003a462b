/**
 * A live lab's probe passes are remembered under the workspace's files and the lab's containers:
 * a second `check` on the same lab reuses them, and any change — a file, a recreated
 * container, another configuration — runs the probe again. Failures are never remembered.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TimedOutcome } from '../../engine/checks/runner.js';
import { openProbeCache } from '../../engine/grading/probe-cache.js';
import type { ContainerState, Runtime } from '../../engine/runtime/runtime.js';

let workspace: string;
const containers: Record<string, { id: string; imageId: string; hash: string }> = {};
const runtime = {
  inspectContainer: async (name: string) => {
    const known = containers[name];
    return known
      ? ({
          id: known.id,
          imageId: known.imageId,
          labels: { 'breakfix.config-hash': known.hash },
        } as unknown as ContainerState)
      : undefined;
  },
} as unknown as Runtime;

const open = () =>
  openProbeCache({ workspace, runtime, containers: ['bf-db', 'bf-api'], scenario: { checks: ['x'], seed: 1 } });
const passed: TimedOutcome = { status: 'passed', message: 'api turned unhealthy', durationMs: 4000, attempts: 1 };
const failed: TimedOutcome = { status: 'failed', message: 'api stayed healthy', durationMs: 4000, attempts: 1 };

beforeEach(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'bf-probe-cache-'));
  await writeFile(path.join(workspace, 'compose.yaml'), 'services: {}\n');
  containers['bf-db'] = { id: 'c1', imageId: 'i1', hash: 'h1' };
  containers['bf-api'] = { id: 'c2', imageId: 'i2', hash: 'h2' };
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('probe cache', () => {
  it('a pass is reused by the next check of the same lab, and says so', async () => {
    await (await open()).record('detects-outage', passed);
    const again = (await open()).lookup('detects-outage');
    expect(again?.status).toBe('passed');
    expect(again?.message).toMatch(/observed at an earlier check/);
  });

  it('a failure is not remembered, and replaces an earlier pass', async () => {
    const cache = await open();
    await cache.record('detects-outage', passed);
    await cache.record('detects-outage', failed);
    expect((await open()).lookup('detects-outage')).toBeUndefined();
  });

  it('a changed file runs the probe again', async () => {
    await (await open()).record('detects-outage', passed);
    await writeFile(path.join(workspace, 'compose.yaml'), 'services: { api: {} }\n');
    expect((await open()).lookup('detects-outage')).toBeUndefined();
  });

  it('a recreated container, another image or configuration runs the probe again', async () => {
    for (const change of [{ id: 'c3' }, { imageId: 'i9' }, { hash: 'h9' }]) {
      await (await open()).record('detects-outage', passed);
      containers['bf-api'] = { ...containers['bf-api']!, ...change };
      expect((await open()).lookup('detects-outage'), JSON.stringify(change)).toBeUndefined();
    }
  });

  it('a removed container runs the probe again', async () => {
    await (await open()).record('detects-outage', passed);
    delete containers['bf-db'];
    expect((await open()).lookup('detects-outage')).toBeUndefined();
  });
});
