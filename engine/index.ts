/**
 * The engine's public entry: `cli/` and `server/` import from here only. Importing it is cheap —
 * `breakfix list` and `--help` must answer at once — so everything that needs zod, Docker
 * clients or the XML writer is an async function that loads its module on first use.
 */
export {
  checkLabOnly,
  collectLabGarbage,
  connect,
  describeLearnerJourney,
  disconnect,
  ensureImages,
  catalogueWithCourses,
  gradeLab,
  loadCompose,
  loadReporters,
  loadRollup,
  loadScenarioFile,
  locateWorkspace,
  nextScenarioAfter,
  probeDocker,
  randomSeed,
  readLabReleases,
  readLearnerScores,
  resetLearnerProgress,
  resolveScenario,
  runDoctor,
  scenarioJsonSchema,
  validateScenarios,
  verifyLab,
  type EngineOptions,
  type GradeOptions,
  type LogOptions,
  type VerifyScenarioOptions,
} from './api.js';
export {
  createLab,
  openLab,
  startLab,
  type LabCallOptions,
  type LabLogOptions,
  type LabScenarioInfo,
  type LabSession,
  type LabSessionOptions,
  type NoticeListener,
} from './lab-session.js';
export { deployQueue } from './deploy/deploy-gate.js';
export { settingsCheck } from './doctor/settings.js';
export type { TickSchedule, TickScheduleOptions } from './session/tick-schedule.js';
export { nextDeadlineAt, newEscalation } from './session/deadlines.js';
export { isRestingState, RESTING_STATES, type RestingState } from './session/resting.js';
export { BreakfixError, exitCodeOf, failureCodeOf, type ErrorKind, type FailureCode } from './errors.js';
export { listScenarios, SCENARIO_FILE, type ScenarioSummary } from './scenario/list.js';
// Courses (cheap to import: plain YAML on first use, no zod).
export {
  activeCourses,
  builtinCourse,
  courseOrder,
  homeCourse,
  selectedCourse,
  type Course,
  type CourseSelectionInput,
} from './course/courses.js';
export { initCourse, courseIdFrom, type CourseInitResult } from './course/init.js';
export { COURSE_FILE, type CourseModule, type CourseImageRecipe } from './course/manifest.js';
export { listCourseScenarios, courseScenarioFiles, type CourseScenarioSummary } from './course/catalog.js';
export { locateScenario, qualifiedId, type ScenarioLocation } from './course/scenario-ref.js';
export { DIFFICULTIES, type Difficulty } from './scenario/difficulty.js';
export { findWorkspace, hasSession } from './session/store.js';
export { scenariosDir, labsDir, packageRoot } from './paths.js';
export { toContractJson } from './grading/report.js';
export { defaultLearner, LEARNER_PATTERN, LEARNER_RULE, normaliseLearner } from './grading/learner.js';
export { reportJson, type ReportJson } from './grading/reporters/json.js';
export { describeImagesProgress, fitLine, formatSeconds } from './images/progress-text.js';
export {
  isReportFormat,
  REPORT_EXTENSIONS,
  REPORT_FORMATS,
  REPORT_MEDIA_TYPES,
  summaryLine,
  type ReportFormat,
} from './grading/reporters/formats.js';
export { isRollupFormat, ROLLUP_FORMATS, type RollupFormat } from './grading/rollup/formats.js';

export type { Scenario } from './scenario/instantiate.js';
export type { ScenarioIssue } from './scenario/load.js';
export type { ScenarioValidation, ValidatePathsResult } from './scenario/discover.js';
export type { ComposeIssue, ServicePlan, DeployPlan } from './compose/index.js';
export type { SessionNotice, LearnerEvent } from './session/drive.js';
export type { SessionView, ServiceView, StartedSession } from './session/session.js';
export { sessionResult, type SessionResult } from './session/result.js';
export type { SessionContext, SessionError } from './session/context.js';
export type { Timeline, TimelineEntry, TimelineKind } from './session/timeline.js';
export type { ReleaseHistory, ReleaseSummary } from './session/release-history.js';
export type { GradeReport, CheckResult, ScoreAdjustment } from './grading/report.js';
export { BUILTIN_COURSE_ID } from './progress/course.js';
export type { Journey, JourneyScenario, LabPlace, NextStep } from './progress/journey.js';
export type { RenderOptions } from './grading/reporters/index.js';
export type { GradeResult } from './grading/grade.js';
export type { Rollup, RollupCell, ClassroomResult } from './grading/rollup/index.js';
export type { VerifyResult } from './verify/verify.js';
export { HEAVY_LAB_SERVICES, provenAloneReason, type AloneReason } from './verify/alone.js';
export type { GcReport } from './session/gc.js';
export type { LabProgress } from './deploy/progress.js';
export type { Runtime, ContainerState } from './runtime/runtime.js';
export type { DoctorCheck, DoctorProgress, DoctorReport } from './doctor/index.js';
export type { ImagesProgress, EnsuredImage } from './images/index.js';
export type { DockerProbe } from './runtime/docker-client.js';
