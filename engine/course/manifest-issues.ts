/**
 * The course file's problems located at `file:line:col`, for `validate`: the same checks as
 * every command runs (manifest.ts), read once more with the position-keeping parser.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileIssue, IssueCollector, type SourceIssue } from '../source/issues.js';
import { parseYamlSource } from '../source/yaml-source.js';
import { checkCourseManifest } from './manifest.js';

export function courseManifestIssues(file: string): SourceIssue[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [fileIssue(file, `${path.basename(file)} cannot be read`)];
  }
  const source = parseYamlSource(text);
  const issues = new IssueCollector(file, source);
  for (const item of source.problems) issues.errorAt(item, item.path, item.message);
  if (issues.errors.length > 0) return issues.sorted();
  const result = checkCourseManifest(source.value, path.dirname(file));
  if (!result.ok) issues.add(result.problems);
  return issues.sorted();
}
