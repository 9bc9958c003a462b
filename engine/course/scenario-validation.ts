/**
 * Scenario files as `validate` judges them: the loader's verdict, then, for each file that
 * loads, its edits simulated on its lab (simulate-edits.ts) for seed 1.
 */
import { readFileSync } from 'node:fs';
import { instantiateScenario } from '../scenario/instantiate.js';
import { loadScenarioFile } from '../scenario/load.js';
import type { DiscoverOptions, ScenarioValidation } from '../scenario/discover.js';
import { simulateEdits } from '../scenario/validate/simulate-edits.js';
import { IssueCollector } from '../source/issues.js';
import { parseYamlSource } from '../source/yaml-source.js';

/** The loader's verdict on each file, then the dry run of the edits of those that load. */
export async function validateScenarioFiles(files: readonly string[], options: DiscoverOptions = {}) {
  const results: ScenarioValidation[] = [];
  for (const file of files) {
    const loaded = loadScenarioFile(file, options);
    if (!loaded.ok) {
      results.push({ kind: 'scenario', file, ok: false, errors: loaded.errors });
      continue;
    }
    results.push(await withSimulation({ kind: 'scenario', file, ok: true, errors: [] }, loaded.scenario));
  }
  return results;
}

export async function withSimulation(
  result: ScenarioValidation,
  definition: Parameters<typeof instantiateScenario>[0],
): Promise<ScenarioValidation> {
  // Seed 1, as `verify` runs by default; every other variant was checked against the schema.
  const problems = await simulateEdits(instantiateScenario(definition, 1));
  if (problems.length === 0) return result;
  const issues = new IssueCollector(result.file, parseYamlSource(readFileSync(result.file, 'utf8')));
  issues.add(problems);
  return { ...result, ok: false, errors: issues.sorted() };
}
