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
  deployOrder,
  formatComposeIssue,
  loadCompose,
  normaliseProjectName,
  SUPPORTED_KEYS,
  type ComposeIssue,
  type LoadComposeOptions,
  type LoadComposeResult,
} from './load.js';
export { interpolate, type InterpolationResult } from './interpolate.js';
export { parseComposeDuration } from './duration.js';
export { splitShellWords } from './shell-words.js';
