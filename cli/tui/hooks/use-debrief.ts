import { useEffect, useState } from 'react';
import type { LabSession, NextStep } from '../../../engine/index.js';
import { formatElapsed } from '../../render/text.js';

export type NextLookup = (scenarioId: string) => Promise<NextStep | undefined>;

/**
 * What the debrief panel adds once the lab is solved, as markdown: the learner's own timeline
 * (from the session's events) and the next scenario of the course with the command that starts
 * it. Fetched again for each new passing round.
 */
export function useDebriefExtras(
  source: LabSession,
  solvedRound: string | undefined,
  nextAfter: NextLookup | undefined,
): string {
  const [extras, setExtras] = useState('');
  useEffect(() => {
    if (solvedRound === undefined) return;
    let live = true;
    void (async () => {
      const [timeline, next] = await Promise.all([
        source.timeline().catch(() => undefined),
        nextAfter ? nextAfter(source.scenario.id).catch(() => undefined) : Promise.resolve(undefined),
      ]);
      const parts: string[] = [];
      if (next) parts.push(`**Next:** ${next.id} (${next.difficulty}) — ${next.title} → ${next.command}`);
      else if (nextAfter) parts.push('**Next:** every scenario of the course is solved.');
      if (timeline && timeline.entries.length > 0)
        parts.push(
          [
            `**What you did** (solved in ${formatElapsed(timeline.totalMs)}):`,
            ...timeline.entries.map((entry) => `- ${formatElapsed(entry.offsetMs)} ${entry.text}`),
          ].join('\n'),
        );
      if (live) setExtras(parts.join('\n\n'));
    })();
    return () => {
      live = false;
    };
  }, [source, solvedRound, nextAfter]);
  return solvedRound === undefined ? '' : extras;
}
