export interface LintFinding {
  /** The ESLint rule, or `parse` for a syntax error. */
  rule: string;
  line: number;
  message: string;
}

export function lintSource(filePath: string, text: string): Promise<LintFinding[]>;
