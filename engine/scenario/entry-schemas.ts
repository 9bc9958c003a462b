/**
 * The entries of a scenario file — faults, symptoms, checks (and a probe's perturbations) — as
 * zod schemas built from the registries: each entry is a registered type's params plus the
 * common fields of its list, split on output into those fields and `params`.
 */
import { z } from 'zod';
import type { CheckTiming } from '../checks/runner.js';
import { checkRegistry } from '../checks/registry.js';
import type { CheckDefinition } from '../checks/check.js';
import type { FaultDefinition, FaultPhase } from '../faults/fault.js';
import { faultRegistry } from '../faults/registry.js';
import { durationSchema } from '../util/duration.js';
import { perturbationRegistry, type PerturbationDefinition } from '../probes/perturbation.js';

/** Defaults of a check entry's `timeout` (one attempt) and `within` (retry window). */
export const DEFAULT_TIMING = {
  /** Symptoms may need a crash loop or a healthcheck to turn red before they show. */
  symptom: { timeoutMs: 5_000, withinMs: 30_000 },
  /**
   * `apply` waits for the lab to settle (healthcheck verdicts, crashes) before it returns, so a
   * check only rides out small delays; a failing round costs the learner this long.
   */
  check: { timeoutMs: 5_000, withinMs: 3_000 },
  /** A probe waits for the lab to react to its perturbation: a health check needs a few probes. */
  probe: { timeoutMs: 5_000, withinMs: 20_000 },
} as const satisfies Record<string, CheckTiming>;

/** How long a probed lab may take to come back once its perturbation is undone. */
export const DEFAULT_RECOVER_MS = 60_000;

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
export const CHECK_COMMON_KEYS = [
  'type',
  'id',
  'title',
  'points',
  'hint',
  'timeout',
  'within',
  'perturb',
  'recover',
  'fresh',
] as const;

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
  /** A probe: what is done to the lab before observing it (restorable faults, or a held redeploy). */
  perturb?: FaultEntry[];
  /** A probe: how long the lab may take to be back once the perturbation is undone. */
  recoverMs?: number;
  /** Judged only on a fresh deploy of the workspace: `grade`, and a live check's durability proof. */
  fresh?: boolean;
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

function perturbationEntrySchema(definition: PerturbationDefinition) {
  const keys = Object.keys(definition.params.shape);
  return definition.params
    .safeExtend({ type: z.literal(definition.type).meta({ description: definition.summary }) })
    .meta({ title: `perturbation: ${definition.type}`, description: definition.summary })
    .transform((value): FaultEntry => ({ type: definition.type, phase: 'runtime', params: pick(value, keys) }));
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
      perturb: z
        .array(z.lazy(() => perturbationSchema))
        .min(1)
        .optional()
        .meta({
          description:
            'Makes this check a probe: these restorable faults (or a held redeploy) are applied first, the expectation must hold `within` (default 20s), then the lab is restored and must recover. Probes run after every other check passed.',
        }),
      recover: durationSchema
        .optional()
        .meta({ description: 'A probe: how long the lab may take to be back once restored (default 60s).' }),
      fresh: z.boolean().optional().meta({
        description:
          "Judged only on a fresh deploy of the workspace (in `grade`, and in a live check's durability proof), e.g. what a service logged at its first start: in a running lab that start may be long gone.",
      }),
    })
    .meta({ title: `check: ${definition.type}`, description: definition.summary })
    .transform((value): CheckEntry => {
      const raw = value as Record<string, unknown>;
      const perturb = Array.isArray(raw.perturb) ? (raw.perturb as FaultEntry[]) : undefined;
      const defaults = perturb ? DEFAULT_TIMING.probe : DEFAULT_TIMING.check;
      return {
        id: String(raw.id),
        type: definition.type,
        title: typeof raw.title === 'string' ? raw.title : String(raw.id),
        points: Number(raw.points),
        ...(typeof raw.hint === 'string' ? { hint: raw.hint } : {}),
        timing: {
          timeoutMs: typeof raw.timeout === 'number' ? raw.timeout : defaults.timeoutMs,
          withinMs: typeof raw.within === 'number' ? raw.within : defaults.withinMs,
        },
        params: pick(raw, keys),
        ...(perturb ? { perturb, recoverMs: typeof raw.recover === 'number' ? raw.recover : DEFAULT_RECOVER_MS } : {}),
        ...(raw.fresh === true ? { fresh: true } : {}),
      };
    });
}

type AnyEntrySchema = z.ZodType;

function union(options: AnyEntrySchema[]): AnyEntrySchema {
  // The registries are never empty; the cast is what discriminatedUnion's tuple type wants.
  return z.discriminatedUnion('type', options as unknown as [z.ZodObject, ...z.ZodObject[]]);
}

export const faultSchema = union(faultRegistry.map(faultEntrySchema)) as z.ZodType<FaultEntry>;

/**
 * What a probe may do to a lab: a runtime fault that knows how to undo itself, or a redeploy
 * that holds one service back (perturbation types of engine/probes). A fault without a restore
 * would leave the learner's lab broken, so it is not on the list.
 */
const perturbationSchema = union([
  ...faultRegistry
    .filter((definition) => definition.phase === 'runtime' && definition.restore !== undefined)
    .map(faultEntrySchema),
  ...perturbationRegistry.map(perturbationEntrySchema),
]) as z.ZodType<FaultEntry>;

export const RESTORABLE_FAULT_TYPES = [
  ...faultRegistry
    .filter((definition) => definition.phase === 'runtime' && definition.restore !== undefined)
    .map((definition) => definition.type),
  ...perturbationRegistry.map((definition) => definition.type),
];
export const symptomSchema = union(checkRegistry.map(symptomEntrySchema)) as z.ZodType<SymptomEntry>;
export const checkSchema = union(checkRegistry.map(checkEntrySchema)) as z.ZodType<CheckEntry>;

/** Per-type entry schemas, for validating one entry whose type is known. */
export const entrySchemas = {
  fault: new Map(faultRegistry.map((definition) => [definition.type, faultEntrySchema(definition)])),
  symptom: new Map(checkRegistry.map((definition) => [definition.type, symptomEntrySchema(definition)])),
  check: new Map(checkRegistry.map((definition) => [definition.type, checkEntrySchema(definition)])),
};
