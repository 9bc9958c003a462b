/**
 * The learner's own timeline of a session, from its events (`.breakfix/events.jsonl`): when
 * the symptoms showed, every apply, check round, hint, rollback, reset and escalation with its
 * time, and how long it took. What a debrief shows under "what you did".
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stateDir } from './store.js';

export type TimelineKind = 'symptoms' | 'check' | 'apply' | 'rollback' | 'hint' | 'reset' | 'escalation' | 'solved';

export interface TimelineEntry {
  /** ISO time. */
  at: string;
  /** Milliseconds since the symptoms showed (the lab became the learner's). */
  offsetMs: number;
  kind: TimelineKind;
  text: string;
  /** The operation did not go through (an apply that did not deploy, a round that could not run). */
  failed?: boolean;
}

export interface Timeline {
  entries: TimelineEntry[];
  /** When the symptoms showed. */
  startedAt?: string;
  /** When every check first passed. */
  solvedAt?: string;
  /** From the symptoms to the solve (or to the last entry when not solved). */
  totalMs: number;
}

interface EventLine {
  at: string;
  session?: string;
  type: string;
  state?: string;
  event?: string;
  release?: number | { number: number; kind: string; restores?: number };
  failure?: string;
  report?: { passed: boolean; score: number; maxScore: number; passing: number; checks: number; finalScore?: number };
  hintsRevealed?: number;
}

function parseLines(text: string, sessionId: string | undefined): EventLine[] {
  const lines: EventLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    try {
      const line = JSON.parse(raw) as EventLine;
      if (typeof line.at !== 'string' || typeof line.type !== 'string') continue;
      // Lines of an earlier session in the same workspace are not this session's story.
      if (sessionId !== undefined && line.session !== undefined && line.session !== sessionId) continue;
      lines.push(line);
    } catch {
      // A line cut by a crash (or the file's trimming) is skipped.
    }
  }
  return lines;
}

function roundText(report: NonNullable<EventLine['report']>): string {
  const final = report.finalScore !== undefined ? ` (final ${report.finalScore})` : '';
  return `check: ${report.passing} of ${report.checks} pass · ${report.score}/${report.maxScore}${final}`;
}

/** The timeline of the events of one session (pure: tested on fixture lines). */
export function buildTimeline(lines: readonly EventLine[]): Timeline {
  const raw: Array<Omit<TimelineEntry, 'offsetMs'>> = [];
  let lastRollback: { number: number; restores?: number } | undefined;
  let solvedAt: string | undefined;
  let startedAt: string | undefined;
  let previousState: string | undefined;
  for (const line of lines) {
    if (line.type === 'state' && line.state) {
      if (line.state === 'active' && previousState === 'confirming') {
        startedAt ??= line.at;
        raw.push({ at: line.at, kind: 'symptoms', text: 'the lab was up and broken: the symptoms showed' });
      }
      if (line.state === 'escalating') raw.push({ at: line.at, kind: 'escalation', text: 'the incident got worse' });
      previousState = line.state;
      continue;
    }
    if (line.type === 'release' && typeof line.release === 'object' && line.release.kind === 'rollback')
      lastRollback = line.release;
    if (line.type !== 'outcome') continue;
    const failed = line.failure !== undefined;
    switch (line.event) {
      case 'CHECK':
        if (line.report) {
          raw.push({
            at: line.at,
            kind: 'check',
            text: `${roundText(line.report)}${line.report.passed ? ' — solved' : ''}`,
          });
          if (line.report.passed) solvedAt ??= line.at;
        } else
          raw.push({ at: line.at, kind: 'check', text: `check could not run: ${line.failure ?? 'no report'}`, failed });
        break;
      case 'APPLY':
        raw.push({
          at: line.at,
          kind: 'apply',
          text: failed ? `apply: ${line.failure}` : `apply: release ${String(line.release)} is running`,
          ...(failed ? { failed } : {}),
        });
        break;
      case 'ROLLBACK': {
        const target = lastRollback?.restores !== undefined ? ` to release ${lastRollback.restores}` : '';
        raw.push({
          at: line.at,
          kind: 'rollback',
          text:
            failed && !lastRollback
              ? `rollback: ${line.failure}`
              : `rollback${target}: release ${String(line.release)} is running`,
          ...(failed ? { failed } : {}),
        });
        lastRollback = undefined;
        break;
      }
      case 'HINT':
        raw.push({ at: line.at, kind: 'hint', text: `hint ${line.hintsRevealed ?? '?'} revealed` });
        break;
      case 'RESET':
        raw.push({
          at: line.at,
          kind: 'reset',
          text: 'reset: the lab started over, your files went to .breakfix/backups/',
        });
        break;
      default:
        break;
    }
  }
  const origin = Date.parse(startedAt ?? raw[0]?.at ?? new Date(0).toISOString());
  const entries = raw.map((entry) => ({ ...entry, offsetMs: Math.max(0, Date.parse(entry.at) - origin) }));
  const end = solvedAt ?? entries.at(-1)?.at;
  return {
    entries,
    ...(startedAt ? { startedAt } : {}),
    ...(solvedAt ? { solvedAt } : {}),
    totalMs: end ? Math.max(0, Date.parse(end) - origin) : 0,
  };
}

/** The timeline of `sessionId` in `workspace` (an empty one when there are no events yet). */
export async function readTimeline(workspace: string, sessionId?: string): Promise<Timeline> {
  const text = await readFile(path.join(stateDir(workspace), 'events.jsonl'), 'utf8').catch(() => '');
  return buildTimeline(parseLines(text, sessionId));
}
