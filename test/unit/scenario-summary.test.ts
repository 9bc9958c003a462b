/**
 * The scenario summary kept beside a session (engine/session/scenario-summary.ts) lets
 * `status` and `hint` skip loading the scenario — and must never show texts the scenario file
 * no longer has: it is used only for the same file bytes and seed, else the scenario is loaded.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveScenario } from '../../engine/api.js';
import type { Scenario } from '../../engine/scenario/instantiate.js';
import {
  keepScenarioSummary,
  readScenarioSummary,
  scenarioTexts,
  summarize,
} from '../../engine/session/scenario-summary.js';
import type { RunnableScenario } from '../../engine/session/scenario-view.js';
import { stateDir, type SessionFile } from '../../engine/session/store.js';

let workspace: string;
let scenario: Scenario;
let file: SessionFile;

beforeEach(async () => {
  workspace = mkdtempSync(path.join(os.tmpdir(), 'bf-summary-'));
  mkdirSync(stateDir(workspace), { recursive: true });
  scenario = await resolveScenario('wrong-port', 7);
  // A copy of the scenario file stands for the recorded one, so that it can be edited.
  const copy = path.join(workspace, 'scenario.yaml');
  copyFileSync(scenario.file, copy);
  file = {
    format: 1,
    sessionId: 'abc123',
    scenarioId: 'wrong-port',
    seed: 7,
    workspace,
    createdAt: new Date().toISOString(),
    revision: 1,
    scenarioFile: copy,
  };
});

afterEach(() => rmSync(workspace, { recursive: true, force: true }));

describe('the scenario summary beside a session', () => {
  it('is read back for the same scenario bytes and seed', async () => {
    await keepScenarioSummary(workspace, file, scenario);
    const kept = readScenarioSummary(workspace, file);
    expect(kept).toEqual(summarize(scenario));
    expect(kept?.hints.length).toBeGreaterThan(0);
    expect(kept?.title).toBe(scenario.title);
  });

  it('is not used once the scenario file changed, nor for another seed', async () => {
    await keepScenarioSummary(workspace, file, scenario);
    expect(readScenarioSummary(workspace, { ...file, seed: 8 })).toBeUndefined();
    appendFileSync(file.scenarioFile!, '\n# an instructor edited the hints\n');
    expect(readScenarioSummary(workspace, file)).toBeUndefined();
  });

  it('is ignored when corrupt, and absent without a recorded scenario file', async () => {
    writeFileSync(path.join(stateDir(workspace), 'scenario-summary.json'), '{not json');
    expect(readScenarioSummary(workspace, file)).toBeUndefined();
    const { scenarioFile: _omitted, ...withoutFile } = file;
    await keepScenarioSummary(workspace, withoutFile, scenario);
    expect(readScenarioSummary(workspace, withoutFile)).toBeUndefined();
  });

  it('loads the scenario only when no summary fits, and keeps one for the next command', async () => {
    let loads = 0;
    const resolve = async () => {
      loads += 1;
      return { scenario: scenario as unknown as RunnableScenario & Scenario };
    };
    expect((await scenarioTexts(workspace, file, resolve)).title).toBe(scenario.title);
    expect((await scenarioTexts(workspace, file, resolve)).hints).toEqual(summarize(scenario).hints);
    expect(loads).toBe(1);
    appendFileSync(file.scenarioFile!, '\n');
    await scenarioTexts(workspace, file, resolve);
    expect(loads).toBe(2);
  });

  it('never keeps a hand-written scenario that lacks the texts a handle shows', async () => {
    const partial: RunnableScenario = {
      id: 'hand',
      title: 'Hand-written',
      lab: 'notes-api',
      faults: [],
      symptoms: [],
      checks: [],
      hints: [{ after: { attempts: 1 }, text: 'look' }],
    };
    let loads = 0;
    const resolve = async () => {
      loads += 1;
      return { scenario: partial };
    };
    expect((await scenarioTexts(workspace, file, resolve)).title).toBe('Hand-written');
    await scenarioTexts(workspace, file, resolve);
    expect(loads).toBe(2);
  });
});
