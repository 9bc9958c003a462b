/** The scenario fixtures (test/fixtures) and the loader's answers, for the scenario loader tests. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { scenariosDir } from '../../engine/paths.js';
import {
  formatIssue,
  loadScenarioFile,
  loadScenarioText,
  type ScenarioDefinition,
  type ScenarioIssue,
} from '../../engine/scenario/index.js';

export const fixtures = path.join(import.meta.dirname, '..', 'fixtures');
export const fixtureLabs = path.join(fixtures, 'labs');
export const fixtureScenarios = path.join(fixtures, 'scenarios');
export const fixtureIds = readdirSync(fixtureScenarios).sort();
export const fixtureFile = (id: string) => path.join(fixtureScenarios, id, 'scenario.yaml');
export const fixtureText = (id: string) => readFileSync(fixtureFile(id), 'utf8');

/** The real scenarios, once they exist, with the real labs. */
export const realScenarioFiles = existsSync(scenariosDir)
  ? readdirSync(scenariosDir)
      .map((name) => path.join(scenariosDir, name, 'scenario.yaml'))
      .filter((file) => existsSync(file))
  : [];

const roots: string[] = [];
/** Call from afterAll: removes every temporary folder made so far. */
export function removeTempDirs(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}
export function tempDir(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'breakfix-scenario-'));
  roots.push(root);
  return root;
}

export function load(text: string, id = 'port-mismatch') {
  return loadScenarioText(fixtureFile(id), text, { labsDir: fixtureLabs });
}

export function definition(id: string): ScenarioDefinition {
  const result = loadScenarioFile(fixtureFile(id), { labsDir: fixtureLabs });
  if (!result.ok) throw new Error(result.errors.map(formatIssue).join('\n'));
  return result.scenario;
}

export const short = (issue: ScenarioIssue) => `${issue.line}:${issue.col}: ${issue.message}`;

/** The issues of a mutated fixture as `line:col: message`. */
export function issuesOf(mutate: (text: string) => string, id = 'port-mismatch'): string[] {
  const text = fixtureText(id);
  const mutated = mutate(text);
  expect(mutated, 'the mutation must change the text').not.toBe(text);
  const result = load(mutated, id);
  if (result.ok) return [];
  return result.errors.map(short);
}
