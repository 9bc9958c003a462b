/**
 * Every fault, symptom and check entry of a document, wherever it sits (faults, escalation
 * stages, solution and wrong-fix edits, releases), with its path and — when the entry alone is
 * valid — its parsed params. The per-variant phases walk these.
 */
import { isDict, type Dict } from '../../source/dict.js';
import type { PathSegment } from '../../source/yaml-source.js';
import { entrySchemas } from '../schema.js';

export interface EntryRef {
  kind: 'fault' | 'symptom' | 'check';
  at: PathSegment[];
  raw: Dict;
  /** Parsed entry when this entry alone is valid. */
  parsed?: { params: Record<string, unknown>; phase?: string };
}

export function collectEntries(data: Dict): EntryRef[] {
  const entries: EntryRef[] = [];
  const add = (kind: EntryRef['kind'], list: unknown, at: PathSegment[]) => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, index) => {
      if (!isDict(raw) || typeof raw.type !== 'string') return;
      const schema = entrySchemas[kind].get(raw.type);
      const result = schema?.safeParse(raw);
      const entry: EntryRef = { kind, at: [...at, index], raw };
      if (result?.success) entry.parsed = result.data as EntryRef['parsed'];
      entries.push(entry);
    });
  };
  add('fault', data.faults, ['faults']);
  add('symptom', data.symptoms, ['symptoms']);
  add('check', data.checks, ['checks']);
  if (Array.isArray(data.escalation))
    data.escalation.forEach((stage, index) => {
      if (!isDict(stage)) return;
      add('fault', stage.faults, ['escalation', index, 'faults']);
      add('symptom', stage.symptoms, ['escalation', index, 'symptoms']);
    });
  if (isDict(data.solution)) add('fault', data.solution.edits, ['solution', 'edits']);
  for (const key of ['wrongFixes', 'rightFixes'] as const) {
    const fixes = data[key];
    if (Array.isArray(fixes))
      fixes.forEach((fix, index) => isDict(fix) && add('fault', fix.edits, [key, index, 'edits']));
  }
  // A probe's perturbations name services too; restorable faults parse as fault entries.
  if (Array.isArray(data.checks))
    data.checks.forEach((check, index) => isDict(check) && add('fault', check.perturb, ['checks', index, 'perturb']));
  if (Array.isArray(data.releases))
    data.releases.forEach(
      (release, index) =>
        isDict(release) &&
        (add('fault', release.faults, ['releases', index, 'faults']),
        add('symptom', release.ready, ['releases', index, 'ready'])),
    );
  return entries;
}
