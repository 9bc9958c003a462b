/**
 * The learner's side of a campaign lab: the fix of healthcheck-wrong-path (so that a check round
 * reaches its probe), a version bump (so that there is an earlier release to roll back to), and
 * a notes file of the learner's own, whose survival the campaign checks after every shot.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { LearnerFile } from './audit.js';

/** The campaign's lab: its checks include a probe (container.stop of db), for the `probing` phase. */
export const CAMPAIGN_SCENARIO = 'healthcheck-wrong-path';

function editCompose(workspace: string, edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const file = path.join(workspace, 'compose.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  edit(doc);
  const text = doc.toString();
  writeFileSync(file, text);
  return text;
}

/** The reference fix: the health check probes /health. Returns the compose file as written. */
export function fixHealthcheck(workspace: string): string {
  return editCompose(workspace, (doc) =>
    doc.setIn(
      ['services', 'api', 'healthcheck', 'test'],
      ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8080/health'],
    ),
  );
}

/** Another api version: the release after it has an earlier one to roll back to. */
export function bumpApiVersion(workspace: string, version: string): string {
  return editCompose(workspace, (doc) => doc.setIn(['services', 'api', 'image'], `notes-api:${version}`));
}

/** A file only the learner wrote. */
export function writeNotes(workspace: string): LearnerFile {
  const file: LearnerFile = {
    relative: 'NOTES-learner.md',
    content: `# what I tried\n\n${randomBytes(24).toString('hex')}\n`,
  };
  writeFileSync(path.join(workspace, file.relative), file.content);
  return file;
}
