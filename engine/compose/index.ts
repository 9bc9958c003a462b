/** The compose subset: a workspace compose.yaml read into a DeployPlan. See docs/compose-subset.md. */
export type {
  BuildPlan,
  DependsOnCondition,
  DeployPlan,
  HealthcheckPlan,
  LoggingPlan,
  PortPlan,
  RestartPolicy,
  SecretMountPlan,
  ServicePlan,
  VolumeMountPlan,
} from './plan.js';
export {
  formatComposeIssue,
  loadCompose,
  normaliseProjectName,
  type ComposeIssue,
  type LoadComposeOptions,
  type LoadComposeResult,
} from './load.js';
export { SUPPORTED_KEYS } from './subset.js';
export { deployOrder } from './graph.js';
export { interpolate, type InterpolationResult } from './interpolate.js';
export { parseComposeDuration } from './duration.js';
export { splitShellWords } from './shell-words.js';
