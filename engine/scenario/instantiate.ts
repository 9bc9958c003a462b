/**
 * A concrete scenario: variables chosen for a seed, templates rendered, defaults applied,
 * durations in milliseconds. What the session, `verify` and `grade` run.
 */
import path from 'node:path';
import type { ScenarioCourseRef, ScenarioDefinition } from './load.js';
import {
  scenarioSchema,
  TEMPLATED_KEYS,
  type FaultEntry,
  type ScenarioDocument,
  type SolutionStep,
  type VarValue,
} from './schema.js';
import { chooseVars, renderValue } from './templates.js';

export interface WrongFix {
  title: string;
  /** Absolute path of the folder overlaid onto the workspace, when the fix has files. */
  filesDir?: string;
  edits: FaultEntry[];
  then: SolutionStep[];
  /** false: a wrong fix that is expected not to deploy. */
  deploys?: boolean;
}

/** An alternative valid fix: the same shape as a wrong fix, expected to pass. */
export type RightFix = Omit<WrongFix, 'deploys'>;

export interface Scenario extends Omit<ScenarioDocument, 'vars' | 'wrongFixes' | 'rightFixes'> {
  wrongFixes?: WrongFix[];
  rightFixes?: RightFix[];
  /** The seed the variables were chosen with. */
  seed: number;
  /** The chosen value of every variable. */
  vars: Record<string, VarValue>;
  file: string;
  dir: string;
  labDir: string;
  solutionDir?: string;
  /** The course the scenario file belongs to. */
  course?: ScenarioCourseRef;
}

export function instantiateScenario(scenario: ScenarioDefinition, seed: number): Scenario {
  const vars = chooseVars(scenario, seed);
  const rendered: Record<string, unknown> = { ...(scenario.document as Record<string, unknown>) };
  for (const key of TEMPLATED_KEYS) if (key in rendered) rendered[key] = renderValue(rendered[key], vars);
  const result = scenarioSchema.safeParse(rendered);
  if (!result.success) {
    // Validation covered every value of every variable; a combination it did not try broke it.
    const first = result.error.issues[0];
    throw new Error(
      `scenario ${scenario.id} with seed ${seed} (${JSON.stringify(vars)}) is invalid at ${first?.path.join('.') ?? ''}: ${first?.message ?? 'unknown'}`,
    );
  }
  const { vars: _specs, wrongFixes, rightFixes, ...document } = result.data;
  const withFolder = <Fix extends { files?: string | undefined }>({ files, ...fix }: Fix) => ({
    ...fix,
    ...(files !== undefined ? { filesDir: path.resolve(scenario.dir, files) } : {}),
  });
  return {
    ...document,
    ...(wrongFixes ? { wrongFixes: wrongFixes.map(withFolder) } : {}),
    ...(rightFixes ? { rightFixes: rightFixes.map(withFolder) } : {}),
    seed,
    vars,
    file: scenario.file,
    dir: scenario.dir,
    labDir: scenario.labDir,
    ...(scenario.solutionDir ? { solutionDir: scenario.solutionDir } : {}),
    ...(scenario.course ? { course: scenario.course } : {}),
  };
}
