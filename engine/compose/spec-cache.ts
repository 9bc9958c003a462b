/**
 * Compose documents already proven to follow the Compose Specification, remembered by hash.
 *
 * Compiling the specification's JSON Schema with ajv costs a new process ~0.3 s (more than
 * everything else `breakfix status` does), and every lab command loads the lab's and the
 * workspace's compose file. A document that validated once validates again as long as neither
 * it nor the schema changed, so a valid result is kept as an empty marker file named by the
 * SHA-256 of the schema and the document (after interpolation, as validated). Only valid
 * results are kept: an invalid document is validated every time, so its problems are always
 * reported in full. Any change to the file — or to the `.env` values interpolated into it —
 * changes the hash, and the next load validates it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { userCacheDir } from '../util/cache-dir.js';

/** Bump when spec.ts changes how it validates (ajv options), so old markers stop counting. */
const VALIDATOR_VERSION = 'ajv8-draft07-v1';

let schemaHash: string | undefined;

function markerDir(): string {
  return path.join(userCacheDir(), 'compose-valid');
}

/** The marker's name for one document under one schema. */
export function documentHash(schema: unknown, data: unknown): string {
  schemaHash ??= createHash('sha256').update(VALIDATOR_VERSION).update(JSON.stringify(schema)).digest('hex');
  return createHash('sha256').update(schemaHash).update('\0').update(JSON.stringify(data)).digest('hex');
}

export function isKnownValid(hash: string): boolean {
  return existsSync(path.join(markerDir(), hash));
}

/** Remember a valid document; a cache that cannot be written only costs the next load a validation. */
export function rememberValid(hash: string): void {
  try {
    const dir = markerDir();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path.join(dir, hash), '');
  } catch {
    // read-only home, full disk: validation simply runs again next time
  }
}
