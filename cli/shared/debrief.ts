/**
 * What a learner reads once a lab is solved, in `check` and `watch`: the debrief, their own
 * timeline (from the session's events), and the next scenario of the course with the command
 * that starts it.
 */
import type { LabSession } from '../../engine/index.js';
import { debriefNextLines } from '../render/journey.js';
import { timelineLines } from '../render/timeline.js';
import { plainMarkdown, wrap } from '../render/text.js';
import type { Engine } from './engine.js';
import type { CommandIO } from './io.js';

export async function debriefLines(engine: Engine, session: LabSession, io: CommandIO): Promise<string[]> {
  const [next, timeline] = await Promise.all([
    engine
      .nextScenarioAfter(session.scenario.id, session.scenario.course ? { courseDir: session.scenario.course.dir } : {})
      .catch(() => undefined),
    session.timeline().catch(() => undefined),
  ]);
  const story = timeline ? timelineLines(timeline, io.style) : [];
  return [
    '',
    io.style.bold('Debrief'),
    ...wrap(plainMarkdown(session.scenario.debrief), io.width - 2).map((line) => (line ? `  ${line}` : '')),
    ...(story.length > 0 ? ['', io.style.bold('What you did'), ...story.map((line) => `  ${line}`)] : []),
    '',
    ...debriefNextLines(next, io.style),
  ];
}
