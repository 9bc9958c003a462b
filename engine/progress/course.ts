/**
 * The order a learner follows. Progress is keyed by course id and scenario id; breakfix's own
 * scenarios are the built-in course, id `breakfix`, in the order `breakfix list` shows them
 * (easiest first). A course that declares its modules (breakfix-course.yaml) gives its own order.
 */
import { listScenarios, type ScenarioSummary } from '../scenario/list.js';
import type { ProgressFile, ScenarioProgress } from './store.js';

export const BUILTIN_COURSE_ID = 'breakfix';

export interface CourseOrder {
  id: string;
  title: string;
  /** The scenarios in the order the course wants them worked. */
  scenarios: ScenarioSummary[];
}

export function builtinCourse(options: { scenariosDir?: string } = {}): CourseOrder {
  return { id: BUILTIN_COURSE_ID, title: 'breakfix', scenarios: listScenarios(options) };
}

export interface CourseScenarioProgress {
  scenario: ScenarioSummary;
  progress?: ScenarioProgress;
}

/** Each scenario of the course with its progress, in the course's order. */
export function courseProgress(course: CourseOrder, progress: ProgressFile): CourseScenarioProgress[] {
  const entries = progress.courses[course.id]?.scenarios ?? {};
  return course.scenarios.map((scenario) => {
    const entry = entries[scenario.id];
    return entry ? { scenario, progress: entry } : { scenario };
  });
}

/** The first scenario of the course not solved yet; `after` starts the search behind that one (a debrief's "next"). */
export function nextScenario(course: CourseOrder, progress: ProgressFile, after?: string): ScenarioSummary | undefined {
  const solved = (id: string) => progress.courses[course.id]?.scenarios[id]?.solved === true;
  const start = after === undefined ? 0 : course.scenarios.findIndex((scenario) => scenario.id === after) + 1;
  const ordered = [...course.scenarios.slice(start), ...course.scenarios.slice(0, start)];
  return ordered.find((scenario) => scenario.id !== after && !solved(scenario.id));
}
