/** Scenario files: schema, loading with positions, templates, discovery. See docs/scenario-format.md. */
export {
  CHECK_COMMON_KEYS,
  DEFAULT_MAX_SCORE,
  DEFAULT_TIMING,
  DIFFICULTIES,
  FAULT_COMMON_KEYS,
  SYMPTOM_COMMON_KEYS,
  TEMPLATED_KEYS,
  scenarioSchema,
  type CheckEntry,
  type Difficulty,
  type EscalationStage,
  type FaultEntry,
  type HintEntry,
  type ScenarioDocument,
  type ScenarioInput,
  type SolutionStep,
  type SymptomEntry,
  type VarSpec,
  type VarValue,
  type WrongFixEntry,
} from './schema.js';
export { formatIssue } from '../source/issues.js';
export {
  loadScenarioFile,
  loadScenarioText,
  type LoadScenarioOptions,
  type LoadScenarioResult,
  type ScenarioIssue,
  type ScenarioDefinition,
  type ScenarioCourseRef,
} from './load.js';
export { instantiateScenario, type Scenario, type WrongFix } from './instantiate.js';
export { chooseVars, findTemplateRefs, renderTemplate, renderValue, type TemplateRef } from './templates.js';
export {
  findScenarioFiles,
  listScenarios,
  loadScenarioById,
  SCENARIO_FILE,
  validateScenarioPaths,
  type DiscoverOptions,
  type LoadScenarioByIdResult,
  type ScenarioSummary,
  type ScenarioValidation,
  type ValidatePathsResult,
} from './discover.js';
export { SCENARIO_SCHEMA_ID, scenarioJsonSchema } from './json-schema.js';
