/**
 * Reading result files: what `breakfix grade --reporter json` (or `POST /v1/grade`) wrote.
 * Checked with zod, and problems are reported as `file:line:col: message` so a hand-edited or
 * truncated file is found at once. The sums are checked too: a score that is not the sum of the
 * checks' points means the file was changed after grading.
 */
import { basename } from 'node:path';
import { findNodeAtLocation, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { formatPath, type PathSegment } from '../../source/yaml-source.js';
import { LEARNER_PATTERN } from '../learner.js';

const CheckSchema = z.object({
  id: z.string().min(1),
  title: z.string().optional(),
  passed: z.boolean(),
  errored: z.boolean(),
  points: z.number().nonnegative(),
  maxPoints: z.number().nonnegative(),
  message: z.string(),
  durationMs: z.number().nonnegative().optional(),
});

const ResultSchema = z.object({
  scenario: z.string().min(1),
  passed: z.boolean(),
  score: z.number().nonnegative(),
  maxScore: z.number().nonnegative(),
  checks: z.array(CheckSchema),
  seed: z.number().int().optional(),
  startedAt: z.iso.datetime({ offset: true }).optional(),
  endedAt: z.iso.datetime({ offset: true }).optional(),
  durationMs: z.number().nonnegative().optional(),
  learner: z.string().regex(LEARNER_PATTERN, 'not a learner id').optional(),
  scenarioHash: z.string().optional(),
  breakfixVersion: z.string().optional(),
  course: z.string().optional(),
});

export type ResultCheck = z.infer<typeof CheckSchema>;

/** One grading of one learner's work on one scenario, as read from its file. */
export interface ResultRecord extends Omit<z.infer<typeof ResultSchema>, 'learner'> {
  /** The file it was read from (as given on the command line). */
  file: string;
  learner: string;
  /** True when the file named no learner and its file name stood in. */
  learnerFromFileName: boolean;
}

export interface ResultIssue {
  file: string;
  line: number;
  col: number;
  message: string;
}

export function formatResultIssue(issue: ResultIssue): string {
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.message}`;
}

/** 1-based line and column of a character offset. */
function positionOf(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, col: (lines.at(-1)?.length ?? 0) + 1 };
}

/** The learner a result without one is filed under: its file name without `.json`. */
function learnerFromFile(file: string): string {
  return basename(file).replace(/\.json$/i, '');
}

export type ParsedResult = { ok: true; record: ResultRecord } | { ok: false; issues: ResultIssue[] };

/** "InvalidSymbol" → "invalid symbol". */
const describeSyntaxError = (error: ParseError) =>
  printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();

export function parseResultFile(file: string, text: string): ParsedResult {
  // jsonc-parser locates nodes and syntax errors (JSON.parse says where only sometimes); the
  // value itself comes from JSON.parse, which is strict where jsonc-parser is lenient.
  const syntax: ParseError[] = [];
  const tree = parseTree(text, syntax, { disallowComments: true, allowTrailingComma: false });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const first = syntax[0];
    const { line, col } = positionOf(text, first ? first.offset : text.length);
    const reason = first
      ? describeSyntaxError(first)
      : (error instanceof Error ? error.message : String(error)).replace(/ in JSON at position \d+.*$/, '');
    return { ok: false, issues: [{ file, line, col, message: `not JSON: ${reason}` }] };
  }
  const issueAt = (path: readonly PathSegment[], message: string): ResultIssue => {
    // The node itself, else its closest ancestor that exists (a missing key points at its object).
    let node;
    for (let depth = path.length; depth >= 0 && !node; depth -= 1)
      node = tree ? findNodeAtLocation(tree, path.slice(0, depth) as Array<string | number>) : undefined;
    const { line, col } = positionOf(text, node?.offset ?? 0);
    const dotted = formatPath(path);
    return { file, line, col, message: dotted ? `${dotted}: ${message}` : message };
  };
  const parsed = ResultSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => issueAt(issue.path as PathSegment[], issue.message));
    issues[0]!.message +=
      issues.length === 1 && parsed.error.issues[0]!.path.length === 0
        ? ' (expected the JSON of `breakfix grade --reporter json`)'
        : '';
    return { ok: false, issues };
  }
  const result = parsed.data;
  const issues: ResultIssue[] = [];
  const points = result.checks.reduce((sum, check) => sum + check.points, 0);
  const maxPoints = result.checks.reduce((sum, check) => sum + check.maxPoints, 0);
  if (points !== result.score)
    issues.push(issueAt(['score'], `${result.score} is not the sum of the checks' points (${points})`));
  if (maxPoints !== result.maxScore)
    issues.push(issueAt(['maxScore'], `${result.maxScore} is not the sum of the checks' maxPoints (${maxPoints})`));
  result.checks.forEach((check, index) => {
    if (check.points > check.maxPoints)
      issues.push(issueAt(['checks', index, 'points'], `${check.points} is more than maxPoints (${check.maxPoints})`));
  });
  const allPassed = result.checks.length > 0 && result.checks.every((check) => check.passed);
  if (result.passed !== allPassed)
    issues.push(
      issueAt(['passed'], `${result.passed} does not match the checks (${allPassed ? 'all' : 'not all'} passed)`),
    );
  if (issues.length > 0) return { ok: false, issues };
  const { learner, ...rest } = result;
  return {
    ok: true,
    record: { ...rest, file, learner: learner ?? learnerFromFile(file), learnerFromFileName: learner === undefined },
  };
}
