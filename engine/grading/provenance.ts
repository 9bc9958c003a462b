/**
 * Where a grade came from: the scenario file's hash and the breakfix version. A class roll-up
 * mixes result files from many runs, and these tell which ones were graded by the same rules.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../paths.js';

let version: string | undefined;

/** The `version` of breakfix's package.json ('0.0.0' when it cannot be read). */
export function breakfixVersion(): string {
  if (version === undefined) {
    try {
      const parsed = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown };
      version = typeof parsed.version === 'string' ? parsed.version : '0.0.0';
    } catch {
      version = '0.0.0';
    }
  }
  return version;
}

/** `sha256:<hex>` of a scenario file's bytes. */
export async function scenarioFileHash(file: string): Promise<string> {
  return `sha256:${createHash('sha256')
    .update(await readFile(file))
    .digest('hex')}`;
}
