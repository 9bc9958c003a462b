#!/usr/bin/env node
/**
 * `npm run lint`: ESLint with the project's rules (eslint.config.js here: typescript-eslint,
 * no module over 400 lines, the import boundaries), then `prettier --check .`. Arguments are
 * passed to ESLint (e.g. `npm run lint -- engine/compose`); the exit code is non-zero when
 * either fails.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CONFIG, ensureLintTools, LINT_DIR, ROOT } from './install.js';

ensureLintTools();
const targets = process.argv.slice(2);
const run = (label, command, args) => {
  process.stderr.write(`lint: ${label}\n`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  return result.status ?? 1;
};
const eslint = run('eslint', process.execPath, [
  path.join(LINT_DIR, 'node_modules', 'eslint', 'bin', 'eslint.js'),
  '--config',
  CONFIG,
  '--max-warnings',
  '0',
  ...(targets.length > 0 ? targets : ['.']),
]);
const prettier = run('prettier --check', process.execPath, [
  path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'),
  '--check',
  '--log-level',
  'warn',
  ...(targets.length > 0 ? targets : ['.']),
]);
process.exit(eslint !== 0 || prettier !== 0 ? 1 : 0);
