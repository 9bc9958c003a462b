/** Courses: breakfix-course.yaml, which courses a command sees, and how a scenario is named among them. */
export { checkCourseManifest, COURSE_FILE, COURSE_ID, readCourseManifest } from './manifest.js';
export { courseManifestIssues } from './manifest-issues.js';
export type { CourseImageRecipe, CourseManifest, CourseModule, ManifestResult } from './manifest.js';
export {
  activeCourses,
  builtinCourse,
  courseOfFile,
  courseOrder,
  findCourseDir,
  homeCourse,
  loadCourse,
  selectedCourse,
  selectedCourseDir,
  type Course,
  type CourseSelectionInput,
} from './courses.js';
export { courseScenarioIds, locateScenario, qualifiedId, type ScenarioLocation } from './scenario-ref.js';
export { courseScenarioFiles, listCourseScenarios, type CourseScenarioSummary } from './catalog.js';
