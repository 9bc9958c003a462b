/**
 * The lint tools live in their own folder with their own lockfile (see package.json here for
 * why). Install them on first use, so `npm run lint` and the guard test work on a fresh clone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LINT_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(LINT_DIR, '../..');
export const CONFIG = path.join(LINT_DIR, 'eslint.config.js');

/** True when node_modules was installed from the current lockfile. */
function installed() {
  const marker = path.join(LINT_DIR, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return false;
  return statSync(marker).mtimeMs >= statSync(path.join(LINT_DIR, 'package-lock.json')).mtimeMs;
}

export function ensureLintTools(log = (line) => process.stderr.write(`${line}\n`)) {
  if (installed()) return;
  log('lint: installing the lint tools (npm ci --prefix tools/lint)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--prefix', LINT_DIR, '--no-audit', '--no-fund', '--silent'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0)
    throw new Error(
      `npm ci --prefix tools/lint failed (exit ${result.status ?? result.signal}); run it by hand to see why`,
    );
}

/** The version the lockfile pins, for messages. */
export function lockedVersion(name) {
  const lock = JSON.parse(readFileSync(path.join(LINT_DIR, 'package-lock.json'), 'utf8'));
  return lock.packages?.[`node_modules/${name}`]?.version;
}
