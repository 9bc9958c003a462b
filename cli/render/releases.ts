/**
 * A lab's releases as text (`breakfix releases`) and the lines `rollback` prints around its
 * work: the target it goes to, what runs afterwards, and whether the workspace files still
 * describe it.
 */
import type { ReleaseHistory, ReleaseSummary } from '../../engine/index.js';
import { MARK, type Style } from './style.js';
import { padEnd } from './text.js';

/** `12:03:10` today, `2026-11-30 12:03` before. */
export function releaseTime(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '?';
  const sameDay = at.toDateString() === now.toDateString();
  const pad = (value: number) => String(value).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  return sameDay ? time : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time.slice(0, 5)}`;
}

/** `release 1 (notes-api:1.4.0)` */
export function releaseName(release: Pick<ReleaseSummary, 'number' | 'version'>): string {
  return `release ${release.number} (${release.version})`;
}

function whatChanged(release: ReleaseSummary): string {
  const parts = [
    ...(release.restores !== undefined ? [`runs release ${release.restores} again`] : []),
    ...(release.note ? [release.note] : []),
    ...(release.restores === undefined ? release.changes : []),
  ];
  return parts.length > 0 ? parts.join(' · ') : 'no change';
}

export function workspaceNote(history: ReleaseHistory, style: Style): string[] {
  if (history.workspaceMatches !== false) return [];
  return [
    style.warn(
      `${MARK.errored} your workspace files are not what runs now: \`breakfix apply\` would deploy them (release ${history.running ?? '?'} runs)`,
    ),
  ];
}

export function releasesLines(history: ReleaseHistory, style: Style, now: Date = new Date()): string[] {
  if (history.releases.length === 0) return ['no release yet: `breakfix apply` deploys the workspace'];
  const rows = history.releases.map((release) => ({
    mark: release.current ? '▶' : ' ',
    number: String(release.number),
    when: releaseTime(release.at, now),
    kind: release.kind,
    version: release.version,
    changed: whatChanged(release),
  }));
  const width = (key: keyof (typeof rows)[number]) => Math.max(...rows.map((row) => row[key].length));
  const [numberWidth, whenWidth, kindWidth, versionWidth] = [
    width('number'),
    width('when'),
    width('kind'),
    width('version'),
  ];
  const target = history.releases.find((release) => release.number === history.rollbackTo);
  return [
    ...rows.map((row) => {
      const line = `${row.mark} ${row.number.padStart(numberWidth)}  ${padEnd(row.when, whenWidth)}  ${padEnd(row.kind, kindWidth)}  ${padEnd(row.version, versionWidth)}  ${style.dim(row.changed)}`;
      return row.mark === '▶' ? style.bold(line) : line;
    }),
    '',
    target
      ? `\`breakfix rollback\` returns to ${releaseName(target)}; \`breakfix rollback --to N\` to another one`
      : style.dim('no earlier version to roll back to; `breakfix rollback --to N` returns to a given release'),
    ...workspaceNote(history, style),
  ];
}
