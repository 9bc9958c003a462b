/**
 * Finding scenarios: by path (for `validate`), all of them (for `list`), by id (for `start`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { closest } from '../compose/suggest.js';
import { parseYamlSource } from '../compose/yaml-source.js';
import { scenariosDir as defaultScenariosDir } from '../paths.js';
import type { ScenarioIssue } from './issues.js';
import { loadScenarioFile, type LoadScenarioOptions, type LoadScenarioResult } from './load.js';
import { DIFFICULTIES, type Difficulty } from './schema.js';

export const SCENARIO_FILE = 'scenario.yaml';

export interface DiscoverOptions extends LoadScenarioOptions {
  /** Where scenario folders live; defaults to the package's scenarios/. */
  scenariosDir?: string;
}

export interface ScenarioValidation {
  file: string;
  ok: boolean;
  errors: ScenarioIssue[];
}

export interface ValidatePathsResult {
  files: ScenarioValidation[];
  /** Paths that do not exist or hold no scenario: usage errors, not invalid files. */
  usageErrors: string[];
}

const SKIP_DIRS = new Set(['node_modules', 'solution', 'dist']);

/** Every `scenario.yaml` under `dir` (itself included), sorted; dot folders are skipped. */
export function findScenarioFiles(dir: string): string[] {
  const found: string[] = [];
  const visit = (current: string, depth: number) => {
    if (depth > 8) return;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isFile() && entry.name === SCENARIO_FILE) found.push(path.join(current, entry.name));
      else if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name)) visit(path.join(current, entry.name), depth + 1);
    }
  };
  visit(path.resolve(dir), 0);
  return found.sort();
}

function statOf(target: string) {
  try {
    return statSync(target);
  } catch {
    return undefined;
  }
}

/**
 * `validate [PATH...]`: a path is a scenario file, or a folder (its scenario.yaml, or every
 * scenario.yaml below it). No path: every scenario of scenarios/.
 */
export function validateScenarioPaths(paths: readonly string[], options: DiscoverOptions = {}): ValidatePathsResult {
  const usageErrors: string[] = [];
  const files: string[] = [];
  const targets = paths.length > 0 ? paths : [options.scenariosDir ?? defaultScenariosDir];
  for (const target of targets) {
    const info = statOf(target);
    if (!info) {
      usageErrors.push(`${target}: no such file or folder`);
      continue;
    }
    if (info.isFile()) {
      files.push(path.resolve(target));
      continue;
    }
    const own = path.join(target, SCENARIO_FILE);
    const found = statOf(own)?.isFile() ? [path.resolve(own)] : findScenarioFiles(target);
    if (found.length === 0) usageErrors.push(`${target}: no ${SCENARIO_FILE} in this folder or below it`);
    files.push(...found);
  }
  const unique = [...new Set(files)];
  return {
    files: unique.map((file) => {
      const result = loadScenarioFile(file, options);
      return { file, ok: result.ok, errors: result.ok ? [] : result.errors };
    }),
    usageErrors,
  };
}

export interface ScenarioSummary {
  id: string;
  title: string;
  difficulty: Difficulty;
  tags: string[];
  /** Absolute path of the scenario folder. */
  dir: string;
}

/**
 * The scenarios of scenarios/, sorted by difficulty then id, read cheaply (YAML only, no
 * validation). A file without a usable id, title and difficulty is left out: `validate` says why.
 */
export function listScenarios(options: DiscoverOptions = {}): ScenarioSummary[] {
  const root = path.resolve(options.scenariosDir ?? defaultScenariosDir);
  const summaries: ScenarioSummary[] = [];
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dir = path.join(root, entry.name);
    let text: string;
    try {
      text = readFileSync(path.join(dir, SCENARIO_FILE), 'utf8');
    } catch {
      continue;
    }
    const data = parseYamlSource(text).value as Record<string, unknown> | null;
    if (data === null || typeof data !== 'object') continue;
    const { id, title, difficulty, tags } = data;
    if (typeof id !== 'string' || typeof title !== 'string' || !DIFFICULTIES.includes(difficulty as Difficulty)) continue;
    summaries.push({ id, title, difficulty: difficulty as Difficulty, tags: Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [], dir });
  }
  const rank = (difficulty: Difficulty) => DIFFICULTIES.indexOf(difficulty);
  return summaries.sort((a, b) => rank(a.difficulty) - rank(b.difficulty) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export type LoadScenarioByIdResult = LoadScenarioResult | { ok: false; unknown: true; message: string; suggestion?: string; errors: [] };

/** Load scenarios/<id>/scenario.yaml; an unknown id gets "unknown scenario X; did you mean Y?". */
export function loadScenarioById(id: string, options: DiscoverOptions = {}): LoadScenarioByIdResult {
  const root = path.resolve(options.scenariosDir ?? defaultScenariosDir);
  const valid = /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id);
  const file = path.join(root, id, SCENARIO_FILE);
  if (valid && statOf(file)?.isFile()) return loadScenarioFile(file, options);
  const ids = listScenarios(options).map((summary) => summary.id);
  const suggestion = closest(id, ids);
  return {
    ok: false,
    unknown: true,
    message: `unknown scenario ${id}${suggestion ? `; did you mean ${suggestion}?` : ids.length > 0 ? ` (scenarios: ${ids.join(', ')})` : ' (there are no scenarios yet)'}`,
    ...(suggestion ? { suggestion } : {}),
    errors: [],
  };
}
