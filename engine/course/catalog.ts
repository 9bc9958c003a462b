/**
 * `breakfix list` across courses: every scenario of every course a command sees, the selected
 * course first, each in its course's order (its modules); scenarios no module lists come last,
 * easiest first. Read cheaply (plain YAML, no validation), like the list of one folder.
 */
import path from 'node:path';
import { DIFFICULTIES } from '../scenario/difficulty.js';
import { readSummary, type ScenarioSummary } from '../scenario/list.js';
import { activeCourses, courseOrder, type Course, type CourseSelectionInput } from './courses.js';
import { courseScenarioIds, qualifiedId } from './scenario-ref.js';

export interface CourseScenarioSummary extends ScenarioSummary {
  /** The id of the course it belongs to. */
  course: string;
  /** What to type to start it: its id, or `<course-id>/<id>` when another course has the id too. */
  ref: string;
  /** The title of the module that lists it. */
  module?: string;
}

function courseSummaries(course: Course): Array<ScenarioSummary & { module?: string }> {
  const found = new Map<string, ScenarioSummary>();
  for (const id of courseScenarioIds(course)) {
    const summary = readSummary(path.join(course.scenariosDir, id));
    if (summary) found.set(id, summary);
  }
  const ordered: Array<ScenarioSummary & { module?: string }> = [];
  for (const module of course.modules)
    for (const id of module.scenarios) {
      const summary = found.get(id);
      if (!summary) continue;
      ordered.push({ ...summary, module: module.title });
      found.delete(id);
    }
  const rank = (summary: ScenarioSummary) => DIFFICULTIES.indexOf(summary.difficulty);
  const rest = [...found.values()].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return [...ordered, ...rest];
}

export function listCourseScenarios(input: CourseSelectionInput = {}): CourseScenarioSummary[] {
  const courses = activeCourses(input);
  const perCourse = courses.map((course) => ({ course, summaries: courseSummaries(course) }));
  const count = new Map<string, number>();
  for (const { summaries } of perCourse)
    for (const summary of summaries) count.set(summary.id, (count.get(summary.id) ?? 0) + 1);
  return perCourse.flatMap(({ course, summaries }) =>
    summaries.map((summary) => ({
      ...summary,
      course: course.id,
      ref: (count.get(summary.id) ?? 0) > 1 ? qualifiedId(course, summary.id) : summary.id,
    })),
  );
}

/** The scenarios `verify --all` and `validate` work on: those of one course, in its order. */
export function courseScenarioFiles(course: Course): string[] {
  const ids = courseScenarioIds(course);
  const ordered = courseOrder(course).filter((id) => ids.includes(id));
  return [...ordered, ...ids.filter((id) => !ordered.includes(id))].map((id) =>
    path.join(course.scenariosDir, id, 'scenario.yaml'),
  );
}
