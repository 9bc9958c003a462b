import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labsDir } from '../../engine/paths.js';
import { getDockerode } from '../../engine/runtime/docker-client.js';
import { connectRuntime, LABELS, type DockerRuntime } from '../../engine/runtime/index.js';
import type { RunnableScenario } from '../../engine/session/scenario-view.js';
import {
  describeSession,
  sendToSession,
  startSession,
  tickSession,
  type SessionDeps,
} from '../../engine/session/session.js';
import type { SessionNotice } from '../../engine/session/drive.js';

const scenario: RunnableScenario = {
  id: 'test-missing-host',
  title: 'API dies on boot (engine test)',
  lab: 'notes-api',
  faults: [{ type: 'compose.unset', params: { path: 'services.api.environment.DATABASE_HOST', file: 'compose.yaml' } }],
  symptoms: [
    {
      type: 'container',
      params: { service: 'api', expect: { running: false } },
      timing: { timeoutMs: 5000, withinMs: 15000 },
    },
  ],
  checks: [
    {
      id: 'healthy',
      title: 'healthy',
      type: 'http',
      params: { service: 'api', path: '/health', expect: { status: 200 } },
      points: 70,
      timing: { timeoutMs: 3000, withinMs: 2000 },
    },
    {
      id: 'no-crash',
      title: 'no crash',
      type: 'container',
      params: { service: 'api', expect: { restarts: { max: 0 } } },
      points: 30,
      timing: { timeoutMs: 3000, withinMs: 0 },
    },
  ],
  hints: [{ after: { attempts: 1 }, text: 'Read the logs.' }],
};

describe('a session on the notes-api lab, driven through the engine', () => {
  let runtime: DockerRuntime;
  let workspace: string;
  const notices: SessionNotice[] = [];
  let deps: SessionDeps;

  beforeAll(async () => {
    runtime = await connectRuntime();
    workspace = path.join(await mkdtemp(path.join(os.tmpdir(), 'bf-engine-')), 'ws');
    deps = {
      runtime,
      resolveScenario: async () => ({ scenario, labSource: path.join(labsDir, 'notes-api') }),
      onNotice: (notice) => notices.push(notice),
    };
  });

  afterAll(async () => {
    // A failed assertion must not leak the lab: sweep whatever this test's sessions left.
    for (const resource of await runtime.listLabelled(LABELS.scenario, scenario.id))
      await runtime.removeResource(resource);
    await rm(path.dirname(workspace), { recursive: true, force: true });
  });

  it('starts broken, fails the check, passes after the fix and leaves nothing behind', async () => {
    const started = await startSession({ scenarioId: scenario.id, workspace, seed: 1 }, deps);
    expect(started.context.error).toBeUndefined();
    expect(started.state).toBe('active');
    const compose = await readFile(path.join(workspace, 'compose.yaml'), 'utf8');
    // The migrate job keeps its DATABASE_HOST; only the api lost it.
    expect(compose.match(/DATABASE_HOST/g)).toHaveLength(1);

    const first = await sendToSession(workspace, 'CHECK', deps);
    expect(first.state).toBe('active');
    expect(first.context.lastReport?.score).toBe(0);
    expect(first.context.hintsUnlocked).toBe(1);

    const fixed = compose.replace(
      '      PORT: "${API_PORT:-8080}"\n',
      '      PORT: "${API_PORT:-8080}"\n      DATABASE_HOST: db\n',
    );
    expect(fixed).not.toBe(compose);
    await writeFile(path.join(workspace, 'compose.yaml'), fixed);
    const applied = await sendToSession(workspace, 'APPLY', deps);
    expect(applied.context.lastFailure).toBeUndefined();
    const second = await sendToSession(workspace, 'CHECK', deps);
    expect(second.context.lastReport?.checks.map((check) => [check.id, check.passed])).toEqual([
      ['healthy', true],
      ['no-crash', true],
    ]);
    expect(second.state).toBe('passed');

    const view = await describeSession(workspace, deps);
    // apply waits for the lab to settle, as `docker compose up --wait` does.
    expect(view.services.find((service) => service.name === 'api')).toMatchObject({
      status: 'running',
      health: 'healthy',
    });
    expect(view.services.find((service) => service.name === 'migrate')).toMatchObject({
      status: 'exited',
      exitCode: 0,
    });

    const stopped = await sendToSession(workspace, 'STOP', deps);
    expect(stopped.state).toBe('stopped');
    expect(await runtime.listLabelled(LABELS.session, started.sessionId)).toEqual([]);
  });

  it('fires an escalation stage when its deadline passes, re-armed in a later process', async () => {
    const escalating: RunnableScenario = {
      ...scenario,
      id: 'test-escalation',
      hints: [{ after: { elapsedMs: 1_000 }, text: 'Time-based hint.' }],
      escalation: [
        {
          afterMs: 2_000,
          title: 'the database stops',
          faults: [{ type: 'container.stop', params: { service: 'db', timeoutSeconds: 1 } }],
        },
      ],
    };
    const escalationDeps: SessionDeps = {
      runtime,
      resolveScenario: async () => ({ scenario: escalating, labSource: path.join(labsDir, 'notes-api') }),
    };
    const ws = path.join(path.dirname(workspace), 'escalation');
    const started = await startSession({ scenarioId: escalating.id, workspace: ws, seed: 1 }, escalationDeps);
    try {
      expect(started.state).toBe('active');
      expect(started.context.hintsUnlocked).toBe(0);
      // No process runs the lab's timers in between: the deadline is a timestamp on disk.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const ticked = await tickSession(ws, escalationDeps);
      expect(ticked.state).toBe('active');
      expect(ticked.context.hintsUnlocked).toBe(1);
      expect(ticked.context.deadlines.every((deadline) => deadline.done)).toBe(true);
      const db = await runtime.inspectContainer(`bf-${started.sessionId}-db`);
      expect(db?.status).toBe('exited');
      const events = await readFile(path.join(ws, '.breakfix', 'events.jsonl'), 'utf8');
      expect(events).toContain('"state":"escalating"');
    } finally {
      await sendToSession(ws, 'STOP', escalationDeps);
      for (const resource of await runtime.listLabelled(LABELS.scenario, escalating.id))
        await runtime.removeResource(resource);
    }
  });

  it("opens a live check's window when the lab last changed, not at every check", async () => {
    const settled: RunnableScenario = {
      ...scenario,
      id: 'test-settled-window',
      faults: [],
      symptoms: [],
      checks: [
        {
          id: 'missing-page',
          title: 'a page the api does not have',
          type: 'http',
          params: { service: 'api', path: '/no-such-page', expect: { status: 200 } },
          points: 10,
          timing: { timeoutMs: 3000, withinMs: 8000 },
        },
      ],
      hints: [],
    };
    const settledDeps: SessionDeps = {
      runtime,
      resolveScenario: async () => ({ scenario: settled, labSource: path.join(labsDir, 'notes-api') }),
    };
    const ws = path.join(path.dirname(workspace), 'settled');
    const started = await startSession({ scenarioId: settled.id, workspace: ws, seed: 1 }, settledDeps);
    const checkMs = async () => {
      const round = await sendToSession(ws, 'CHECK', settledDeps);
      const result = round.context.lastReport?.checks[0];
      expect(result?.passed).toBe(false);
      return result?.durationMs ?? Number.NaN;
    };
    try {
      expect(started.state).toBe('active');
      // The lab has stood still for longer than the window: one attempt, the verdict at once.
      await new Promise((resolve) => setTimeout(resolve, 8_500));
      expect(await checkMs()).toBeLessThan(3_000);
      // A container started again (by hand, here) opens a new window: the check waits it out.
      await (await getDockerode()).getContainer(`bf-${started.sessionId}-api`).restart({ t: 1 });
      expect(await checkMs()).toBeGreaterThan(3_000);
    } finally {
      await sendToSession(ws, 'STOP', settledDeps);
      for (const resource of await runtime.listLabelled(LABELS.scenario, settled.id))
        await runtime.removeResource(resource);
    }
  });
});
