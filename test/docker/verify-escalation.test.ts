/**
 * `verify` proves escalation stages on a compressed clock (engine/verify/escalation.ts): a real
 * session on the tiny fixture lab, whose stages (ten and twenty minutes in) fire at once through
 * the session's own deadline path, each followed by its symptoms — and a stage whose symptom
 * does not show is reported as such, naming the stage and the symptom.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRuntime, LABELS, type DockerRuntime } from '../../engine/runtime/index.js';
import type { RunnableScenario } from '../../engine/session/scenario-view.js';
import { sendToSession, startSession, type SessionDeps } from '../../engine/session/session.js';
import { proveEscalation } from '../../engine/verify/escalation.js';
import { TINY_LAB } from '../support/lab-harness.js';

const timing = { timeoutMs: 5000, withinMs: 15_000 };

function scenario(id: string, secondStageSymptom: Record<string, unknown>): RunnableScenario {
  return {
    id,
    title: 'escalation proof (engine test)',
    lab: 'tiny',
    faults: [{ type: 'container.pause', params: { service: 'db' } }],
    symptoms: [{ type: 'container', params: { service: 'db', expect: { running: false } }, timing }],
    checks: [
      {
        id: 'db-up',
        title: 'db up',
        type: 'container',
        params: { service: 'db', expect: { running: true } },
        points: 100,
        timing: { timeoutMs: 3000, withinMs: 0 },
      },
    ],
    hints: [{ after: { attempts: 1 }, text: 'Look at db.' }],
    escalation: [
      {
        afterMs: 10 * 60_000,
        title: 'web stops answering its peers',
        faults: [{ type: 'network.blackhole', params: { service: 'web' } }],
        symptoms: [
          {
            type: 'exec',
            params: {
              service: 'quiet',
              command: ['curl', '-s', '-m', '2', '-o', '/dev/null', 'http://web:8000/health.txt'],
              expect: { exitCode: 28 },
            },
            timing,
          },
        ],
      },
      {
        afterMs: 20 * 60_000,
        title: 'web is killed',
        faults: [{ type: 'container.kill', params: { service: 'web' } }],
        symptoms: [{ type: 'container', params: secondStageSymptom, timing: { timeoutMs: 3000, withinMs: 4000 } }],
      },
    ],
  };
}

let runtime: DockerRuntime;
let root: string;
const ids = ['tescalok', 'tescalbad'];

beforeAll(async () => {
  runtime = await connectRuntime();
  root = await mkdtemp(path.join(os.tmpdir(), 'bf-escalation-'));
});

afterAll(async () => {
  for (const id of ids)
    for (const resource of await runtime.listLabelled(LABELS.scenario, id)) await runtime.removeResource(resource);
  await rm(root, { recursive: true, force: true });
});

async function start(subject: RunnableScenario): Promise<{ workspace: string; deps: SessionDeps }> {
  const deps: SessionDeps = { runtime, resolveScenario: async () => ({ scenario: subject, labSource: TINY_LAB }) };
  const workspace = path.join(root, subject.id);
  const started = await startSession({ scenarioId: subject.id, workspace, seed: 1 }, deps);
  expect(started.state).toBe('active');
  return { workspace, deps };
}

describe('proveEscalation', () => {
  it('fires every stage through the session’s deadlines, minutes early, and sees each symptom', async () => {
    const subject = scenario(ids[0] ?? '', { service: 'web', expect: { running: false } });
    const { workspace, deps } = await start(subject);
    const began = performance.now();
    const proofs = await proveEscalation(subject, workspace, deps);
    expect(proofs).toMatchObject([
      { stage: 1, title: 'web stops answering its peers', fired: true, symptomsObserved: true },
      { stage: 2, title: 'web is killed', fired: true, symptomsObserved: true },
    ]);
    expect(proofs.every((proof) => proof.error === undefined)).toBe(true);
    // Twenty minutes of escalation, proven in well under one.
    expect(performance.now() - began).toBeLessThan(60_000);
    await sendToSession(workspace, 'STOP', deps);
  });

  it('a stage that fires without its symptom showing is an error naming the stage and the symptom', async () => {
    const subject = scenario(ids[1] ?? '', { service: 'web', expect: { running: true } });
    const { workspace, deps } = await start(subject);
    const proofs = await proveEscalation(subject, workspace, deps);
    expect(proofs[0]).toMatchObject({ fired: true, symptomsObserved: true });
    expect(proofs[1]).toMatchObject({ stage: 2, fired: true, symptomsObserved: false });
    expect(proofs[1]?.error).toMatch(/^stage 2 fired but its symptom did not show: symptom 1 \(container\): /);
    await sendToSession(workspace, 'STOP', deps);
  });
});
