/**
 * Read a workspace compose file into a DeployPlan — the pipeline: parse with positions,
 * interpolate from the workspace `.env`, validate against the official Compose Specification
 * (spec.ts), accept only the subset breakfix can deploy (subset.ts), and build the plan
 * (build-plan.ts: one builder per service key in keys/, then the dependency graph). Every
 * problem is an issue located at `file:line:col`; nothing is ignored silently and nothing throws.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Scalar } from 'yaml';
import { isDict } from '../source/dict.js';
import { fileIssue, formatIssue, IssueCollector, type SourceIssue } from '../source/issues.js';
import { closest } from '../source/suggest.js';
import { parseYamlSource, type PathSegment } from '../source/yaml-source.js';
import { dotenvToRecord } from '../util/dotenv.js';
import { isInside, pathKind } from '../util/file-system.js';
import { buildPlan } from './build-plan.js';
import { interpolate } from './interpolate.js';
import type { DeployPlan } from './plan.js';
import { validateComposeSpec } from './spec.js';
import { ALL_SUPPORTED, checkSubset } from './subset.js';

/** A problem of a compose file: the one issue type every loader uses. */
export type ComposeIssue = SourceIssue;

export interface LoadComposeOptions {
  /** Compose file, relative to the workspace. */
  file?: string;
  /** Overrides the top-level `name` and the workspace folder name. */
  projectName?: string;
}

export type LoadComposeResult =
  | { ok: true; plan: DeployPlan; project: string; file: string; warnings: ComposeIssue[] }
  | { ok: false; errors: ComposeIssue[]; warnings: ComposeIssue[] };

export const formatComposeIssue: (issue: ComposeIssue) => string = formatIssue;

/** Compose's project-name normalisation: lowercase, only [a-z0-9_-], starting with a letter or digit. */
export function normaliseProjectName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
  return cleaned || 'lab';
}

function readDotenv(projectDir: string): Record<string, string> {
  const file = path.join(projectDir, '.env');
  try {
    return pathKind(file) === 'file' ? dotenvToRecord(readFileSync(file, 'utf8')) : {};
  } catch {
    return {};
  }
}

export function loadCompose(workspaceDir: string, options: LoadComposeOptions = {}): LoadComposeResult {
  const workspace = path.resolve(workspaceDir);
  const relative = options.file ?? 'compose.yaml';
  const file = path.resolve(workspace, relative);
  if (!isInside(workspace, file))
    return { ok: false, errors: [fileIssue(file, `${relative} is outside the workspace`)], warnings: [] };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {
      ok: false,
      errors: [fileIssue(file, `cannot read ${relative}: no such file in ${workspace}`)],
      warnings: [],
    };
  }
  const projectDir = path.dirname(file);
  const dotenv = readDotenv(projectDir);

  // Interpolation happens while the YAML becomes JS; its problems are kept with their scalar.
  const interpolationProblems: Array<{ node: Scalar; path: PathSegment[]; errors: string[]; warnings: string[] }> = [];
  const source = parseYamlSource(text, (value, node, at) => {
    if (typeof value !== 'string' || !value.includes('$')) return value;
    const result = interpolate(value, dotenv);
    if (result.errors.length > 0 || result.warnings.length > 0)
      interpolationProblems.push({ node, path: at, errors: result.errors, warnings: result.warnings });
    return result.value;
  });
  const out = new IssueCollector(file, source);
  const failed = (): LoadComposeResult => ({ ok: false, errors: out.sorted(), warnings: out.warnings });
  for (const problem of source.problems) out.errorAt(problem, problem.path, problem.message);
  if (out.errors.length > 0) return failed();

  for (const problem of interpolationProblems) {
    const at = source.lineCounter.linePos(problem.node.range?.[0] ?? 0);
    for (const message of problem.errors) out.errorAt(at, problem.path, message);
    for (const message of problem.warnings) out.warnAt(at, problem.path, message);
  }

  const data = source.value;
  if (!isDict(data)) {
    out.errorAt(
      { line: 1, col: 1 },
      [],
      data === null
        ? `${relative} is empty: it needs a \`services\` mapping`
        : `${relative} must be a mapping with a \`services\` key`,
    );
    return failed();
  }

  for (const problem of validateComposeSpec(data)) {
    let message = problem.message;
    if (problem.unknownKey && !problem.unknownKey.namePattern) {
      const { key, allowed } = problem.unknownKey;
      const supported = allowed.filter((candidate) => ALL_SUPPORTED.has(candidate));
      const guess = closest(key, supported) ?? closest(key, allowed);
      if (guess)
        message += `; did you mean \`${guess}\`?${ALL_SUPPORTED.has(guess) ? '' : ' (not supported by breakfix either)'}`;
    }
    out.error(problem.path, message, problem.part);
  }
  checkSubset(data, out);
  if (out.errors.length > 0) return failed();

  const project = normaliseProjectName(
    options.projectName ?? (typeof data.name === 'string' && data.name !== '' ? data.name : path.basename(workspace)),
  );
  const plan = buildPlan(data, { workspace, projectDir, project, dotenv, out });
  if (out.errors.length > 0 || !plan) return failed();
  return { ok: true, plan, project, file, warnings: out.warnings };
}
