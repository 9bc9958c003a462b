/**
 * `breakfix list`: the scenarios of scenarios/, read cheaply — plain YAML, no validation, no
 * zod — because `list` is the command a newcomer runs first and it must answer at once.
 * A file without a usable id, title and difficulty is left out; `validate` says why.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { scenariosDir as defaultScenariosDir } from '../paths.js';
import { DIFFICULTIES, type Difficulty } from './difficulty.js';

export const SCENARIO_FILE = 'scenario.yaml';

export interface ScenarioSummary {
  id: string;
  title: string;
  difficulty: Difficulty;
  tags: string[];
  /** Absolute path of the scenario folder. */
  dir: string;
}

// Loaded on first use (synchronously, through its CommonJS build): importing the engine's
// entry must not pay for a YAML parser when the command is `--help`.
let parseYaml: ((text: string) => unknown) | undefined;
export function yamlParse(text: string): unknown {
  parseYaml ??= (createRequire(import.meta.url)('yaml') as { parse: (text: string) => unknown }).parse;
  return parseYaml(text);
}

export function readSummary(dir: string): ScenarioSummary | undefined {
  let data: unknown;
  try {
    data = yamlParse(readFileSync(path.join(dir, SCENARIO_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== 'object') return undefined;
  const { id, title, difficulty, tags } = data as Record<string, unknown>;
  if (typeof id !== 'string' || typeof title !== 'string' || !DIFFICULTIES.includes(difficulty as Difficulty))
    return undefined;
  return {
    id,
    title,
    difficulty: difficulty as Difficulty,
    tags: Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [],
    dir,
  };
}

/** Sorted by difficulty, then id. */
export function listScenarios(options: { scenariosDir?: string } = {}): ScenarioSummary[] {
  const root = path.resolve(options.scenariosDir ?? defaultScenariosDir);
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const summaries = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => readSummary(path.join(root, entry.name)))
    .filter((summary): summary is ScenarioSummary => summary !== undefined);
  const rank = (difficulty: Difficulty) => DIFFICULTIES.indexOf(difficulty);
  return summaries.sort((a, b) => rank(a.difficulty) - rank(b.difficulty) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
