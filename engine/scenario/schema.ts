/**
 * The scenario file format, as zod schemas built from the fault and check registries: a new
 * fault or check type appears here (and in the JSON Schema, and in the docs) without an edit.
 *
 * Input types are what an author writes (durations as "5s"); output types are what the engine
 * runs (milliseconds, defaults applied, each entry split into its common fields and `params`).
 */
import { z } from 'zod';
import type { CheckTiming } from '../checks/runner.js';
import { checkRegistry } from '../checks/registry.js';
import type { CheckDefinition } from '../checks/check.js';
import type { FaultDefinition, FaultPhase } from '../faults/fault.js';
import { faultRegistry } from '../faults/registry.js';
import { serviceParam } from '../params/service.js';
import { VARIABLE_NAME as VAR_NAME } from '../params/variable-name.js';
import { durationSchema } from '../util/duration.js';

import { DIFFICULTIES } from './difficulty.js';

export { DIFFICULTIES, type Difficulty } from './difficulty.js';

/** Defaults of a check entry's `timeout` (one attempt) and `within` (retry window). */
export const DEFAULT_TIMING = {
  /** Symptoms may need a crash loop or a healthcheck to turn red before they show. */
  symptom: { timeoutMs: 5_000, withinMs: 30_000 },
  /**
   * `apply` waits for the lab to settle (healthcheck verdicts, crashes) before it returns, so a
   * check only rides out small delays; a failing round costs the learner this long.
   */
  check: { timeoutMs: 5_000, withinMs: 3_000 },
} as const satisfies Record<string, CheckTiming>;

export const DEFAULT_MAX_SCORE = 100;

export const kebabCase = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const id = z
  .string()
  .regex(kebabCase, 'must be kebab-case (lowercase letters, digits and dashes), e.g. missing-env-var');

// ---------------------------------------------------------------------------------------------
// Seeded random parameters.

export type VarValue = string | number | boolean;

const varValue = z.union([z.string(), z.number(), z.boolean()]);

export const varSpecSchema = z
  .strictObject({
    oneOf: z.array(varValue).min(1).optional().meta({ description: 'Pick one of these values.' }),
    int: z
      .strictObject({ min: z.number().int(), max: z.number().int() })
      .refine((range) => range.min <= range.max, 'min must not be greater than max')
      .optional()
      .meta({ description: 'Pick a whole number between min and max (both included).' }),
  })
  .refine((spec) => (spec.oneOf === undefined) !== (spec.int === undefined), 'give exactly one of `oneOf` or `int`')
  .meta({ description: 'A seeded random parameter: the same seed gives the same value.' });

export type VarSpec = z.output<typeof varSpecSchema>;

export const varsSchema = z
  .record(
    z.string().regex(VAR_NAME, 'a variable name is letters, digits and _, not starting with a digit'),
    varSpecSchema,
  )
  .meta({
    description:
      'Seeded random parameters, used as "{{ vars.NAME }}" in faults, symptoms, checks, hints, solution, escalation, briefing and debrief.',
  });

// ---------------------------------------------------------------------------------------------
// Entries: a registered type's params plus the common fields of its list.

const timingFields = {
  timeout: durationSchema.optional().meta({ description: 'How long one attempt may take.' }),
  within: durationSchema
    .optional()
    .meta({ description: 'Keep retrying a failing attempt until this much time has passed.' }),
};

/** Common keys of entries; a registered type's params must not reuse them. */
export const FAULT_COMMON_KEYS = ['type', 'description'] as const;
export const SYMPTOM_COMMON_KEYS = ['type', 'title', 'timeout', 'within'] as const;
export const CHECK_COMMON_KEYS = ['type', 'id', 'title', 'points', 'hint', 'timeout', 'within'] as const;

function pick(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}

export interface FaultEntry {
  type: string;
  phase: FaultPhase;
  description?: string;
  /** The fault type's own params, parsed (defaults applied), for `definition.inject(ctx, params)`. */
  params: Record<string, unknown>;
}

export interface SymptomEntry {
  type: string;
  title?: string;
  timing: CheckTiming;
  params: Record<string, unknown>;
}

export interface CheckEntry {
  id: string;
  type: string;
  title: string;
  points: number;
  hint?: string;
  timing: CheckTiming;
  params: Record<string, unknown>;
}

function faultEntrySchema(definition: FaultDefinition) {
  const keys = Object.keys(definition.params.shape);
  return definition.params
    .safeExtend({
      type: z.literal(definition.type).meta({ description: definition.summary }),
      description: z
        .string()
        .optional()
        .meta({ description: 'Why this fault is here, for instructors (never shown to learners).' }),
    })
    .meta({ title: `fault: ${definition.type}`, description: `${definition.summary} (${definition.phase} phase)` })
    .transform((value): FaultEntry => {
      const raw = value as Record<string, unknown>;
      return {
        type: definition.type,
        phase: definition.phase,
        ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
        params: pick(raw, keys),
      };
    });
}

function symptomEntrySchema(definition: CheckDefinition) {
  const keys = Object.keys(definition.params.shape);
  return definition.params
    .safeExtend({
      type: z.literal(definition.type).meta({ description: definition.summary }),
      title: z.string().min(1).optional().meta({ description: 'Shown while the symptom is being confirmed.' }),
      ...timingFields,
    })
    .meta({ title: `symptom: ${definition.type}`, description: definition.summary })
    .transform((value): SymptomEntry => {
      const raw = value as Record<string, unknown>;
      return {
        type: definition.type,
        ...(typeof raw.title === 'string' ? { title: raw.title } : {}),
        timing: {
          timeoutMs: typeof raw.timeout === 'number' ? raw.timeout : DEFAULT_TIMING.symptom.timeoutMs,
          withinMs: typeof raw.within === 'number' ? raw.within : DEFAULT_TIMING.symptom.withinMs,
        },
        params: pick(raw, keys),
      };
    });
}

function checkEntrySchema(definition: CheckDefinition) {
  const keys = Object.keys(definition.params.shape);
  return definition.params
    .safeExtend({
      type: z.literal(definition.type).meta({ description: definition.summary }),
      id: z
        .string()
        .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, ".", "_" or "-", e.g. api-healthy')
        .meta({ description: 'Unique among the checks; shown in reports.' }),
      title: z.string().min(1).optional().meta({ description: 'Shown in reports; defaults to the id.' }),
      points: z
        .number()
        .int()
        .positive()
        .meta({ description: 'Awarded when the check passes; all points add up to maxScore.' }),
      hint: z.string().min(1).optional().meta({ description: 'Shown to the learner when this check fails.' }),
      ...timingFields,
    })
    .meta({ title: `check: ${definition.type}`, description: definition.summary })
    .transform((value): CheckEntry => {
      const raw = value as Record<string, unknown>;
      return {
        id: String(raw.id),
        type: definition.type,
        title: typeof raw.title === 'string' ? raw.title : String(raw.id),
        points: Number(raw.points),
        ...(typeof raw.hint === 'string' ? { hint: raw.hint } : {}),
        timing: {
          timeoutMs: typeof raw.timeout === 'number' ? raw.timeout : DEFAULT_TIMING.check.timeoutMs,
          withinMs: typeof raw.within === 'number' ? raw.within : DEFAULT_TIMING.check.withinMs,
        },
        params: pick(raw, keys),
      };
    });
}

type AnyEntrySchema = z.ZodType;

function union(options: AnyEntrySchema[]): AnyEntrySchema {
  // The registries are never empty; the cast is what discriminatedUnion's tuple type wants.
  return z.discriminatedUnion('type', options as unknown as [z.ZodObject, ...z.ZodObject[]]);
}

export const faultSchema = union(faultRegistry.map(faultEntrySchema)) as z.ZodType<FaultEntry>;
export const symptomSchema = union(checkRegistry.map(symptomEntrySchema)) as z.ZodType<SymptomEntry>;
export const checkSchema = union(checkRegistry.map(checkEntrySchema)) as z.ZodType<CheckEntry>;

/** Per-type entry schemas, for validating one entry whose type is known. */
export const entrySchemas = {
  fault: new Map(faultRegistry.map((definition) => [definition.type, faultEntrySchema(definition)])),
  symptom: new Map(checkRegistry.map((definition) => [definition.type, symptomEntrySchema(definition)])),
  check: new Map(checkRegistry.map((definition) => [definition.type, checkEntrySchema(definition)])),
};

// ---------------------------------------------------------------------------------------------
// The rest of the file.

export interface HintEntry {
  after: { attempts?: number; elapsedMs?: number };
  text: string;
}

export const hintSchema = z
  .strictObject({
    after: z
      .strictObject({
        attempts: z
          .number()
          .int()
          .min(1)
          .optional()
          .meta({ description: 'Unlocked after this many failed check rounds.' }),
        elapsed: durationSchema.optional().meta({ description: 'Unlocked after this much time in the lab.' }),
      })
      .optional()
      .meta({
        description:
          'Whichever comes first unlocks the hint; without `after` the hint is available at once. Hints unlock in order.',
      }),
    text: z.string().min(1).meta({ description: 'Markdown.' }),
  })
  .transform((value): HintEntry => ({
    after: {
      ...(value.after?.attempts !== undefined ? { attempts: value.after.attempts } : {}),
      ...(value.after?.elapsed !== undefined ? { elapsedMs: value.after.elapsed } : {}),
    },
    text: value.text,
  }));

export type SolutionStep = 'apply' | 'rollback' | { exec: { service: string; command: string[]; user?: string } };

const execStep = z
  .strictObject({
    exec: z.strictObject({
      service: serviceParam,
      command: z
        .union([z.string().min(1), z.array(z.string()).min(1)])
        .transform((value) => (typeof value === 'string' ? ['sh', '-c', value] : value))
        .meta({ description: 'A list (exec form) or a string run with sh -c.' }),
      user: z.string().optional(),
    }),
  })
  .meta({ description: 'Run a command in a running service container, e.g. a database repair.' });

export const solutionStepSchema = z.union([
  z
    .enum(['apply', 'rollback'])
    .meta({ description: 'apply: redeploy from the workspace; rollback: return to the previous release.' }),
  execStep,
]);

const relativeFolder = z
  .string()
  .min(1)
  .refine(
    (value) => !value.startsWith('/') && !value.split(/[\\/]/).includes('..'),
    'must be a folder inside the scenario folder, without ".."',
  );

const editsSchema = z.array(faultSchema).default([]).meta({
  description:
    'Workspace edits written with the workspace fault types (compose.set, file.replace, env.set…), applied after the files.',
});

export const solutionSchema = z
  .strictObject({
    files: relativeFolder.optional().meta({
      description:
        'Folder (relative to the scenario folder) overlaid onto the workspace; defaults to solution/ when it exists.',
    }),
    edits: editsSchema,
    then: z
      .array(solutionStepSchema)
      .min(1)
      .default(['apply'])
      .meta({ description: 'Steps after the files and edits; default [apply].' }),
  })
  .meta({ description: 'The reference fix, used by `breakfix verify`.' });

export interface WrongFixEntry {
  title: string;
  files?: string;
  edits: FaultEntry[];
  then: SolutionStep[];
}

export const wrongFixSchema = z
  .strictObject({
    title: z
      .string()
      .min(1)
      .meta({ description: 'The plausible mistake, e.g. "publish the port the app listens on".' }),
    files: relativeFolder
      .optional()
      .meta({ description: 'Folder (relative to the scenario folder) overlaid onto the workspace.' }),
    edits: editsSchema,
    then: z.array(solutionStepSchema).min(1).default(['apply']),
  })
  .meta({
    description: 'A plausible wrong fix that must NOT pass the checks; `breakfix verify --wrong-fixes` proves it.',
  });

export const releaseSchema = z
  .strictObject({
    from: z
      .string()
      .min(1)
      .refine(
        (value) => !value.startsWith('/') && !value.split(/[\\/]/).includes('..'),
        'must be a folder inside the lab, without ".."',
      )
      .meta({ description: 'Folder of the lab holding that release, with its own compose.yaml, e.g. releases/1.4.0.' }),
    note: z.string().optional().meta({ description: 'Shown in the release history; defaults to `from`.' }),
    faults: z
      .array(faultSchema)
      .optional()
      .meta({ description: 'Runtime faults applied while that release runs (e.g. data written by its users).' }),
  })
  .meta({ description: 'An earlier release deployed before the workspace, so the lab has a history to roll back to.' });

export const gradingSchema = z
  .strictObject({
    steps: z.array(solutionStepSchema).default([]).meta({
      description: 'Steps the headless grader runs after deploying a submission, standing in for the learner.',
    }),
  })
  .meta({ description: 'How `breakfix grade` treats a submitted workspace.' });

export interface EscalationStage {
  afterMs: number;
  title: string;
  faults: FaultEntry[];
  /** What shows once the stage has fired; `verify` proves it on a compressed clock. */
  symptoms?: SymptomEntry[];
}

export const escalationSchema = z
  .strictObject({
    after: durationSchema.meta({ description: 'Time after the lab became active.' }),
    title: z
      .string()
      .min(1)
      .meta({ description: 'What the learner is told, e.g. "the database now runs out of connections".' }),
    faults: z.array(faultSchema).min(1).meta({
      description: 'Runtime or artifact faults only: the workspace belongs to the learner once the lab is active.',
    }),
    symptoms: z.array(symptomSchema).optional().meta({
      description:
        'What shows once the stage has fired (it made things worse); `breakfix verify` fires every stage on a compressed clock and proves these.',
    }),
  })
  .transform((value): EscalationStage => ({
    afterMs: value.after,
    title: value.title,
    faults: value.faults,
    ...(value.symptoms ? { symptoms: value.symptoms } : {}),
  }));

export const scenarioSchema = z
  .strictObject({
    id: id.meta({ description: 'Unique, kebab-case; the scenario folder has the same name.' }),
    title: z.string().min(1).meta({ description: 'One line, shown in `breakfix list`.' }),
    difficulty: z.enum(DIFFICULTIES),
    tags: z.array(z.string().min(1)).default([]),
    lab: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be the name of a folder of labs/')
      .meta({ description: 'The folder of labs/ copied into the workspace; it holds a compose.yaml.' }),
    briefing: z
      .string()
      .min(1)
      .meta({ description: 'Markdown the learner reads first: the symptom they see, not the cause.' }),
    debrief: z
      .string()
      .min(1)
      .meta({ description: 'Markdown shown once passed: what happened and how a team prevents it.' }),
    estimatedMinutes: z.number().int().positive().optional(),
    vars: varsSchema.optional(),
    faults: z.array(faultSchema).min(1).meta({ description: 'What breaks the lab, applied in order.' }),
    symptoms: z
      .array(symptomSchema)
      .min(1)
      .meta({ description: 'Checks that must hold after injection (the fault bites), or the scenario is broken.' }),
    checks: z.array(checkSchema).min(1).meta({ description: 'The grade: each check has an id and points.' }),
    maxScore: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_MAX_SCORE)
      .meta({ description: 'The points of all checks add up to it.' }),
    hints: z.array(hintSchema).min(1).meta({ description: 'Progressive hints, unlocked in order.' }),
    solution: solutionSchema,
    escalation: z
      .array(escalationSchema)
      .optional()
      .meta({ description: 'Optional stages that make things worse over time.' }),
    wrongFixes: z
      .array(wrongFixSchema)
      .optional()
      .meta({ description: 'Plausible wrong fixes that must not pass (proved by `breakfix verify --wrong-fixes`).' }),
    releases: z
      .array(releaseSchema)
      .optional()
      .meta({ description: 'Earlier releases deployed before the workspace, oldest first.' }),
    grading: gradingSchema.optional(),
  })
  .meta({
    title: 'breakfix scenario',
    description:
      'A break/fix scenario: a lab, the faults that break it, the symptoms that prove it, and the checks that grade the fix.',
  });

/** What an author writes. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** What the engine runs: defaults applied, durations in ms, entries split into common fields and params. */
export type ScenarioDocument = z.output<typeof scenarioSchema>;

/** Top-level keys whose strings may hold `{{ vars.NAME }}`. */
export const TEMPLATED_KEYS = [
  'briefing',
  'debrief',
  'faults',
  'symptoms',
  'checks',
  'hints',
  'solution',
  'escalation',
  'wrongFixes',
  'releases',
  'grading',
] as const;
