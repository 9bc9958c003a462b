/**
 * Lint one source text as if it were the file `filePath` (relative to the repository root),
 * with the project's ESLint config: what the guard test uses to prove the rules bite.
 */
import path from 'node:path';
import { CONFIG, ensureLintTools, ROOT } from './install.js';

export async function lintSource(filePath, text) {
  ensureLintTools();
  const { ESLint } = await import('eslint');
  const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: CONFIG });
  const [result] = await eslint.lintText(text, { filePath: path.join(ROOT, filePath) });
  return (result?.messages ?? []).map((message) => ({
    rule: message.ruleId ?? 'parse',
    line: message.line,
    message: message.message,
  }));
}
