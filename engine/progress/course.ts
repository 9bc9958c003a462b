/**
 * The order a learner follows. Progress is keyed by course id and scenario id. The course is the
 * one a command sees (engine/course: `--course`, BREAKFIX_COURSE or the nearest
 * breakfix-course.yaml upward, else breakfix's built-in course, id `breakfix`), its scenarios in
 * the order of its modules (breakfix-course.yaml), scenarios no module lists last.
 */
import { listCourseScenarios } from '../course/catalog.js';
import { homeCourse, type CourseSelectionInput } from '../course/courses.js';
import type { ScenarioSummary } from '../scenario/list.js';
import type { ProgressFile, ScenarioProgress } from './store.js';

export const BUILTIN_COURSE_ID = 'breakfix';

export interface CourseOrder {
  id: string;
  title: string;
  /** The scenarios in the order the course wants them worked. */
  scenarios: ScenarioSummary[];
}

/** The course a learner works in from here, in its modules' order. */
export function currentCourse(input: CourseSelectionInput = {}): CourseOrder {
  const course = homeCourse(input);
  return {
    id: course.id,
    title: course.title,
    scenarios: listCourseScenarios(input).filter((scenario) => scenario.course === course.id),
  };
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
