/**
 * The scenario file format, as zod schemas built from the fault and check registries: a new
 * fault or check type appears here (and in the JSON Schema, and in the docs) without an edit.
 *
 * Input types are what an author writes (durations as "5s"); output types are what the engine
 * runs (milliseconds, defaults applied, each entry split into its common fields and `params`).
 */
import { z } from 'zod';
import { serviceParam } from '../params/service.js';
import { VARIABLE_NAME as VAR_NAME } from '../params/variable-name.js';
import { durationSchema } from '../util/duration.js';
import { checkSchema, faultSchema, symptomSchema, type FaultEntry, type SymptomEntry } from './entry-schemas.js';
import { rightFixSchema, solutionSchema, solutionStepSchema, wrongFixSchema } from './fix-schemas.js';

import { DIFFICULTIES } from './difficulty.js';

export { DIFFICULTIES, type Difficulty } from './difficulty.js';
export * from './entry-schemas.js';
export * from './fix-schemas.js';

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
    ready: z.array(symptomSchema).optional().meta({
      description:
        "What holds once the release is in production (e.g. the platform put it live), observed like symptoms before its faults are applied; a release that never gets there fails the lab's start.",
    }),
  })
  .meta({ description: 'An earlier release deployed before the workspace, so the lab has a history to roll back to.' });

export const gradingSchema = z
  .strictObject({
    steps: z.array(solutionStepSchema).default([]).meta({
      description: 'Steps the headless grader runs after deploying a submission, standing in for the learner.',
    }),
    hold: z
      .array(
        z.strictObject({
          service: serviceParam,
          for: durationSchema.meta({
            description: 'How long the program of the service waits after its container starts.',
          }),
        }),
      )
      .optional()
      .meta({
        description:
          "Services whose program is held back for a while after their container starts when a submission is deployed afresh (`grade`, and a live check's durability proof): whatever only happened to start after them now starts during the hold, so `fresh` checks see an ordering that was luck. A service the submission does not have is not held; a held service's image needs /bin/sh and sleep.",
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

/** Optional scoring that counts help, shown openly next to `score` (engine/grading/scoring.ts). */
export interface Scoring {
  /** Points taken from `finalScore` per hint revealed. */
  hintCost?: number;
  /** Points added to `finalScore` when every check passes within `withinMs` of the lab coming up. */
  timeBonus?: { withinMs: number; points: number };
}

export const scoringSchema = z
  .strictObject({
    hintCost: z
      .number()
      .int()
      .min(0)
      .optional()
      .meta({ description: 'Points taken from finalScore for each hint the learner revealed.' }),
    timeBonus: z
      .strictObject({
        within: durationSchema.meta({ description: 'Time from the symptoms showing to every check passing.' }),
        points: z.number().int().positive(),
      })
      .optional()
      .meta({ description: 'Points added to finalScore when the lab is solved within this time.' }),
  })
  .transform((value): Scoring => ({
    ...(value.hintCost !== undefined ? { hintCost: value.hintCost } : {}),
    ...(value.timeBonus ? { timeBonus: { withinMs: value.timeBonus.within, points: value.timeBonus.points } } : {}),
  }))
  .meta({
    description:
      "Scoring that counts help: a live check round reports finalScore (score − hint cost + time bonus) beside score, which stays the sum of the checks' points and is what `grade` reports.",
  });

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
    rightFixes: z
      .array(rightFixSchema)
      .optional()
      .meta({ description: 'Alternative valid fixes that must pass (proved by `breakfix verify --wrong-fixes`).' }),
    wrongFixes: z
      .array(wrongFixSchema)
      .optional()
      .meta({ description: 'Plausible wrong fixes that must not pass (proved by `breakfix verify --wrong-fixes`).' }),
    releases: z
      .array(releaseSchema)
      .optional()
      .meta({ description: 'Earlier releases deployed before the workspace, oldest first.' }),
    grading: gradingSchema.optional(),
    scoring: scoringSchema.optional(),
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
  'rightFixes',
  'releases',
  'grading',
] as const;
