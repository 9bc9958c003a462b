/**
 * The lifecycle phases an interruption campaign aims at, and how each is reached: which
 * `breakfix` command runs through it, and what on disk says the command is in it right now.
 *
 * Start phases are the states of `start` (session.json's `progress.state`). Active phases are
 * commands on a lab that is up; `probing` is the part of a check round where a probe has
 * disturbed the lab (`.breakfix/pending-restore.json` exists until it is undone).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { STATE_LABELS } from '../../cli/render/progress.js';

export type Phase =
  | 'preparing'
  | 'building'
  | 'deploying'
  | 'injecting'
  | 'confirming'
  | 'checking'
  | 'probing'
  | 'applying'
  | 'rollingBack'
  | 'resetting'
  | 'tearingDown';

export const START_PHASES: readonly Phase[] = ['preparing', 'building', 'deploying', 'injecting', 'confirming'];
export const ACTIVE_PHASES: readonly Phase[] = ['checking', 'probing', 'applying', 'rollingBack', 'resetting'];
export const ALL_PHASES: readonly Phase[] = [...START_PHASES, ...ACTIVE_PHASES, 'tearingDown'];

/** The command whose run passes through the phase (workspace and scenario filled in by the caller). */
export function commandFor(phase: Phase): string[] {
  if ((START_PHASES as readonly string[]).includes(phase)) return ['start'];
  switch (phase) {
    case 'checking':
    case 'probing':
      return ['check'];
    case 'applying':
      return ['apply'];
    case 'rollingBack':
      return ['rollback'];
    case 'resetting':
      return ['reset'];
    default:
      return ['stop'];
  }
}

/**
 * The state a progress line of the command announces (`→ deploying the lab`), if it is one.
 * The command prints it the moment its session machine enters the state, so the line is the
 * most exact clock another process has (session.json's `progress` follows a little later,
 * after its write reaches the disk).
 */
export function stateOfLine(line: string): string | undefined {
  const text = line.replace(/^\s*→\s*/, '');
  if (text === line) return undefined;
  return Object.entries(STATE_LABELS).find(([, label]) => label === text.trim())?.[0];
}

/** A probe has disturbed the lab and not yet undone it. */
export function probing(workspace: string): boolean {
  return existsSync(path.join(workspace, '.breakfix', 'pending-restore.json'));
}
