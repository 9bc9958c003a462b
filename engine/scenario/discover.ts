/**
 * Finding scenarios: by path (for `validate`), all of them (for `list`), by id (for `start`).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { closest } from '../source/suggest.js';
import { scenariosDir as defaultScenariosDir } from '../paths.js';
import type { ScenarioIssue } from './load.js';
import { loadScenarioFile, type LoadScenarioOptions, type LoadScenarioResult } from './load.js';
import { listScenarios, SCENARIO_FILE } from './list.js';

export { SCENARIO_FILE };

export interface DiscoverOptions extends LoadScenarioOptions {
  /** Where scenario folders live; defaults to the package's scenarios/. */
  scenariosDir?: string;
}

export interface ScenarioValidation {
  /** What the file is: a scenario, a course's breakfix-course.yaml, or a lab's compose.yaml. */
  kind?: 'scenario' | 'course' | 'lab';
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
      else if (entry.isDirectory() && !entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name))
        visit(path.join(current, entry.name), depth + 1);
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

export { listScenarios, type ScenarioSummary } from './list.js';

export type LoadScenarioByIdResult =
  LoadScenarioResult | { ok: false; unknown: true; message: string; suggestion?: string; errors: [] };

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
