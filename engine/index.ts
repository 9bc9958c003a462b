/**
 * The engine's public entry: `cli/` and `server/` import from here only. Modules that need
 * Docker are loaded on first use, so importing this file stays cheap.
 */
export {
  collectLabGarbage,
  connect,
  describeLab,
  gradeLab,
  labLogs,
  locateWorkspace,
  randomSeed,
  resolveScenario,
  sendToLab,
  startLab,
  tickLab,
  verifyLab,
  type EngineOptions,
  type GradeOptions,
  type LogOptions,
  type StartLabOptions,
  type VerifyScenarioOptions,
} from './api.js';
export { BreakfixError, exitCodeOf, type ErrorKind } from './errors.js';
export { listScenarios, loadScenarioById, validateScenarioPaths, type ScenarioSummary } from './scenario/discover.js';
export type { Scenario } from './scenario/instantiate.js';
export type { SessionNotice, LearnerEvent } from './session/drive.js';
export type { SessionResult, SessionView, ServiceView } from './session/session.js';
export type { SessionContext, SessionError } from './session/context.js';
export type { GradeReport, CheckResult } from './grading/report.js';
export { toContractJson } from './grading/report.js';
export {
  renderReport,
  reportJson,
  summaryLine,
  useColor,
  isReportFormat,
  REPORT_FORMATS,
  REPORT_MEDIA_TYPES,
  type ReportFormat,
  type ReportJson,
} from './grading/reporters/index.js';
export type { GradeResult } from './grading/grade.js';
export type { VerifyResult } from './verify/verify.js';
export type { GcReport } from './session/gc.js';
export type { LabProgress } from './deploy/progress.js';
export type { Runtime, ContainerState } from './runtime/runtime.js';
export { findWorkspace, hasSession } from './session/store.js';
export { scenariosDir, labsDir, packageRoot } from './paths.js';
