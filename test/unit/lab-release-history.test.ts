/**
 * labs/notes-api/releases/1.4.0 is the complete source tree of the release before 2.0.0 (the lab
 * deploys it first, so `rollback` has somewhere to go). It must stay the current lab minus the
 * 2.0.0 change — the `body` → `content` column rename — and nothing else: this test pins which
 * files may differ and how, so a fix to the current lab cannot silently skip the old release.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { labsDir } from '../../engine/paths.js';

const lab = path.join(labsDir, 'notes-api');
const release = path.join(lab, 'releases', '1.4.0');

function files(root: string, skip: (relative: string) => boolean = () => false): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full).split(path.sep).join('/');
      if (skip(relative)) continue;
      if (entry.isDirectory()) walk(full);
      else found.push(relative);
    }
  };
  walk(root);
  return found.sort();
}

const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');
/** A file's text without its leading `#` comment block (the header that says which release it is). */
const withoutHeader = (text: string) => text.replace(/^(#[^\n]*\n)+\n?/, '');

/** What only the current lab has: the 2.0.0 migration, instructor notes, the fixes, the history itself. */
const ONLY_CURRENT = ['.gitignore', 'INSTRUCTOR.md', 'migrations/003_rename_body_to_content.sql', 'secrets/README.md'];
const ONLY_CURRENT_FOLDERS = ['fixes/', 'releases/'];

/** The files that differ, each with the one change from 1.4.0 to 2.0.0 it may carry. */
const CHANGES: Record<string, (old: string) => string> = {
  VERSION: (old) => old.replace('1.4.0', '2.0.0'),
  // Only the version in the build example.
  Dockerfile: (old) => old.replace('notes-api:1.4.0', 'notes-api:2.0.0'),
  // The column rename, and the docstring that says which column holds the text.
  'app/notes.py': (old) =>
    old
      .replace(
        'Release 1.4.0 keeps the note text in `notes.body` (migration 001).\n',
        'Release 2.0.0 keeps the note text in `notes.content` (migration 003 renamed it from `body`).\nThe API still calls the field `body`: clients did not have to change.\n',
      )
      .replace('TEXT_COLUMN = "body"', 'TEXT_COLUMN = "content"'),
  // The image tags, and the port that 2.0.0 reads from `.env` (API_PORT); the header comment differs.
  'compose.yaml': (old) =>
    withoutHeader(old)
      .replaceAll('notes-api:1.4.0', 'notes-api:2.0.0')
      .replace('PORT: "8080"', 'PORT: "${API_PORT:-8080}"'),
};
const COMPARED_WITHOUT_HEADER = new Set(['compose.yaml']);
/** Describes its own release: free to differ. */
const FREE = new Set(['README.md']);

describe('labs/notes-api/releases/1.4.0 against the current lab', () => {
  const current = files(lab, (relative) => ONLY_CURRENT_FOLDERS.some((folder) => `${relative}/`.startsWith(folder)));
  const old = files(release);

  it('holds the same files, less what only 2.0.0 has', () => {
    expect(old.filter((file) => !current.includes(file))).toEqual([]);
    expect(current.filter((file) => !old.includes(file))).toEqual(ONLY_CURRENT);
  });

  it('every file is the same as in the current lab, except the pinned 1.4.0 → 2.0.0 changes', () => {
    for (const file of old) {
      if (FREE.has(file)) continue;
      const before = read(release, file);
      const after = read(lab, file);
      const change = CHANGES[file];
      if (!change) {
        expect(before, `${file} differs from the current lab; if that is intended, pin the change here`).toBe(after);
        continue;
      }
      expect(before, `${file} is pinned as changed but is identical: drop it from CHANGES`).not.toBe(after);
      const expected = COMPARED_WITHOUT_HEADER.has(file) ? withoutHeader(after) : after;
      expect(change(before), `${file} differs by more than the pinned change`).toBe(expected);
    }
  });
});
