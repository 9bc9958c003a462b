/**
 * A fault type: its parameters (zod, strict) and how it breaks a lab. One file per type,
 * one line per type in registry.ts — the shape of testcontainers' wait strategies.
 */
import type { z } from 'zod';
import type { Lab } from '../deploy/lab.js';
import type { Runtime } from '../runtime/runtime.js';

/**
 * When a fault applies. Workspace faults edit the learner's files when the lab is prepared;
 * artifact faults tamper with images before the build (like a registry holding a bad tag, so
 * a learner whose compose file builds the image overwrites it, as in real life); runtime
 * faults act on running containers after deploy. `grade` re-creates artifact and runtime
 * faults only: workspace faults live in the submitted files.
 */
export type FaultPhase = 'workspace' | 'artifact' | 'runtime';

export interface FaultContext {
  lab: Lab;
  runtime: Runtime;
  /** Absolute path of the scenario's lab source (labs/<lab>), for faults that build older code. */
  labSource: string;
  /** Resolves a compose service to what is deployed for it (container name, image tag). */
  service(name: string): { container: string; image: string };
  network: string;
  signal?: AbortSignal;
}

/** What a fault records before it applies, so that any later process can undo it: plain JSON. */
export type Captured = string | number | boolean | null | Captured[] | { [key: string]: Captured };

/**
 * How a runtime fault is undone. Only restorable faults may perturb a lab inside a probe
 * (`perturb:` in a check): the probe runner records `captured` before `inject`, so a process
 * killed mid-probe leaves a lab that the next command or `breakfix gc` can put back.
 */
export interface FaultRestore<Params extends z.ZodObject> {
  /** Reads what `undo` needs, just before `inject`. */
  capture?(ctx: FaultContext, params: z.infer<Params>): Promise<Captured>;
  /** Undoes `inject`. Idempotent, and safe when `inject` only partly ran or never ran. */
  undo(ctx: FaultContext, params: z.infer<Params>, captured: Captured | undefined): Promise<void>;
}

export interface FaultDefinition<Params extends z.ZodObject = z.ZodObject> {
  type: string;
  phase: FaultPhase;
  /** One line shown in the JSON Schema and `docs/scenario-format.md`. */
  summary: string;
  params: Params;
  /** Compose services the params refer to, so `validate` can check them against the lab. */
  services?(params: z.infer<Params>): string[];
  /** Returns a short description of what was done, kept in the session's history. */
  inject(ctx: FaultContext, params: z.infer<Params>): Promise<string>;
  /** Present on runtime faults that can be undone (and so may be used as a probe's perturbation). */
  restore?: FaultRestore<Params>;
}

export function defineFault<Params extends z.ZodObject>(definition: FaultDefinition<Params>): FaultDefinition<Params> {
  return definition;
}

/** Thrown when a fault cannot apply to this lab: a scenario bug, never the learner's. */
export class FaultError extends Error {
  override name = 'FaultError';
}
