/**
 * "Never print the value the fix needs": the values a fix writes (from the solution's and the
 * right fixes' edits) that the broken workspace does not already contain must not appear in
 * any failure message (hints are the author's deliberate help, and are not scanned) — on the broken lab or after a wrong fix. A message
 * like `expected to contain "notes-api:2.0.0"` hands out the answer.
 */
import type { GradeReport } from '../grading/report.js';
import type { FaultEntry } from '../session/scenario-view.js';

/** Strings an edit writes: compose values, replacements, file contents, .env values. */
function writtenStrings(edit: FaultEntry): string[] {
  const out: string[] = [];
  const collect = (value: unknown) => {
    if (typeof value === 'string') out.push(value);
    else if (typeof value === 'number') out.push(String(value));
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  for (const key of ['value', 'replace', 'content']) collect(edit.params[key]);
  return out;
}

/** Whole values and their lines, trimmed; short or generic ones cannot give anything away. */
export function fixValues(edits: FaultEntry[], brokenText: string): string[] {
  const values = new Set<string>();
  for (const edit of edits)
    for (const text of writtenStrings(edit))
      for (const part of [text, ...text.split('\n')]) {
        const value = part.trim();
        if (value.length >= 5 && !brokenText.includes(value)) values.add(value);
      }
  return [...values];
}

export interface MessageLeak {
  check: string;
  value: string;
  where: string;
}

export function findLeaks(
  reports: Array<{ where: string; report: GradeReport | undefined }>,
  values: string[],
): MessageLeak[] {
  const leaks: MessageLeak[] = [];
  for (const { where, report } of reports)
    for (const check of report?.checks ?? []) {
      if (check.passed) continue;
      for (const value of values) if (check.message.includes(value)) leaks.push({ check: check.id, value, where });
    }
  return leaks;
}
