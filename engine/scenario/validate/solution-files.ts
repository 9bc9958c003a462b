/**
 * Phase: the folders of files a scenario overlays (`solution.files`, `wrongFixes[].files`) exist
 * next to the scenario file, and the templates in their files name declared variables. Issues in
 * those files are located in the files themselves.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDict, type Dict } from '../../source/dict.js';
import { problem, type IssueCollector } from '../../source/issues.js';
import { closest } from '../../source/suggest.js';
import { directoryExists, isInside } from '../../util/file-system.js';
import { findTemplateRefs } from '../templates.js';

/** Files under `dir`, for template checks of solution files. */
function walkFiles(dir: string, limit = 500): string[] {
  const files: string[] = [];
  const visit = (current: string) => {
    if (files.length >= limit) return;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) files.push(full);
    }
  };
  visit(dir);
  return files;
}

function fileTemplateIssues(dir: string, declared: string[], issues: IssueCollector): void {
  for (const file of walkFiles(dir)) {
    let text: string;
    try {
      if (statSync(file).size > 1_000_000) continue;
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (text.includes('\u0000')) continue;
    const refs = findTemplateRefs(text);
    if (refs.length === 0) continue;
    const lineStarts = [0];
    for (let index = 0; index < text.length; index += 1) if (text[index] === '\n') lineStarts.push(index + 1);
    for (const ref of refs) {
      let line = 0;
      while (line + 1 < lineStarts.length && (lineStarts[line + 1] as number) <= ref.index) line += 1;
      const col = ref.index - (lineStarts[line] as number) + 1;
      const guess = closest(ref.name, declared);
      const message =
        ref.problem ??
        (declared.includes(ref.name)
          ? undefined
          : `undefined variable \`vars.${ref.name}\` in a solution file${guess ? `; did you mean \`vars.${guess}\`?` : ''}`);
      if (message) issues.push({ file, line: line + 1, col, message, path: '' });
    }
  }
}

/** Validate the overlay folders; returns the solution folder when there is one. */
export function validateSolutionFiles(
  data: Dict,
  dir: string,
  declared: string[],
  issues: IssueCollector,
): string | undefined {
  let solutionDir: string | undefined;
  const solution = isDict(data.solution) ? data.solution : undefined;
  if (solution && typeof solution.files === 'string') {
    const candidate = path.resolve(dir, solution.files);
    // A path that leaves the folder is refused by the schema already.
    if (!isInside(dir, candidate)) solutionDir = undefined;
    else if (!directoryExists(candidate))
      issues.add([
        problem(
          ['solution', 'files'],
          `folder ${JSON.stringify(solution.files)} does not exist next to the scenario file`,
        ),
      ]);
    else solutionDir = candidate;
  } else if (directoryExists(path.join(dir, 'solution'))) solutionDir = path.join(dir, 'solution');
  if (solutionDir) fileTemplateIssues(solutionDir, declared, issues);
  for (const key of ['wrongFixes', 'rightFixes'] as const) {
    const fixes = data[key];
    if (!Array.isArray(fixes)) continue;
    fixes.forEach((fix, index) => {
      if (!isDict(fix) || typeof fix.files !== 'string') return;
      const candidate = path.resolve(dir, fix.files);
      if (!isInside(dir, candidate)) return; // refused by the schema
      if (!directoryExists(candidate))
        issues.add([
          problem(
            [key, index, 'files'],
            `folder ${JSON.stringify(fix.files)} does not exist next to the scenario file`,
          ),
        ]);
      else fileTemplateIssues(candidate, declared, issues);
    });
  }
  return solutionDir;
}
