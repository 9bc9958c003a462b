/**
 * Problems found in a source file (compose.yaml, scenario.yaml), located at `file:line:col`.
 * One issue type, one formatter and one collector serve every loader, so `validate`, `apply` and
 * the HTTP API print problems the same way whichever file they came from.
 */
import { formatPath, type PathSegment, type Position, type YamlSource } from './yaml-source.js';

export interface SourceIssue {
  /** Absolute path of the file the issue is in. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** Starts with the dotted path of the offending node, e.g. `services.api.ports[0]: …`. */
  message: string;
  /** Dotted path of the offending node (`''` for the whole file). */
  path: string;
}

/** `file:line:col: message` — the form editors and CI annotations understand. */
export function formatIssue(issue: Pick<SourceIssue, 'file' | 'line' | 'col' | 'message'>): string {
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.message}`;
}

/** An issue about the whole file (it cannot be read, it is outside the workspace). */
export function fileIssue(file: string, message: string): SourceIssue {
  return { file, line: 1, col: 1, message, path: '' };
}

/** A problem before it is located in a file. */
export interface Problem {
  path: PathSegment[];
  /** `key`: point at the mapping key (unknown keys); `value`: at the value (or the parent when missing). */
  part: 'key' | 'value';
  message: string;
  /** Set on "missing required key" problems (then `path` is the mapping). */
  missingKey?: string;
  /** Set on "unknown key" problems that suggest a known key. */
  suggests?: string;
}

export function problem(path: PathSegment[], message: string, part: 'key' | 'value' = 'value'): Problem {
  return { path, part, message };
}

/** Prefix a message with the dotted path it is about. */
export function withPath(path: readonly PathSegment[], message: string): string {
  const dotted = formatPath(path);
  return dotted ? `${dotted}: ${message}` : message;
}

/**
 * Errors and warnings of one file, located through its YAML source. The same problem reported
 * twice at the same place (two variants of a templated scenario) is kept once.
 */
export class IssueCollector {
  readonly errors: SourceIssue[] = [];
  readonly warnings: SourceIssue[] = [];
  private readonly seen = new Set<string>();

  constructor(
    readonly file: string,
    readonly source: YamlSource | undefined,
  ) {}

  private locate(path: readonly PathSegment[], part: 'key' | 'value'): Position {
    return this.source ? this.source.locate(path, part) : { line: 1, col: 1 };
  }

  private issue(at: Position, path: readonly PathSegment[], message: string): SourceIssue {
    return { file: this.file, line: at.line, col: at.col, message: withPath(path, message), path: formatPath(path) };
  }

  error(path: readonly PathSegment[], message: string, part: 'key' | 'value' = 'value'): void {
    this.push(this.issue(this.locate(path, part), path, message));
  }

  errorAt(at: Position, path: readonly PathSegment[], message: string): void {
    this.push(this.issue(at, path, message));
  }

  warn(path: readonly PathSegment[], message: string, part: 'key' | 'value' = 'value'): void {
    this.warnings.push(this.issue(this.locate(path, part), path, message));
  }

  warnAt(at: Position, path: readonly PathSegment[], message: string): void {
    this.warnings.push(this.issue(at, path, message));
  }

  /** Record located problems as errors; `suffix` is appended to each message (e.g. the variant). */
  add(problems: readonly Problem[], suffix = ''): void {
    for (const item of problems) {
      const at = this.locate(item.path, item.part);
      this.push({ ...this.issue(at, item.path, item.message), message: withPath(item.path, item.message) + suffix });
    }
  }

  /** Record an error that is already located (possibly in another file, e.g. a solution file). */
  push(issue: SourceIssue): void {
    const key = `${issue.file}|${issue.line}|${issue.col}|${issue.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.errors.push(issue);
  }

  /** Problems as they would be reported, for comparing variants. */
  keys(problems: readonly Problem[]): string[] {
    return problems.map((item) => `${formatPath(item.path)}|${item.part}|${item.message}`);
  }

  /** Errors in file order (then line, then column). */
  sorted(): SourceIssue[] {
    return [...this.errors].sort((a, b) =>
      a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1,
    );
  }
}
