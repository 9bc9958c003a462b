/**
 * What a scenario says about fixes: the steps a fix runs, the reference solution, the red
 * team's wrong fixes and the alternative right fixes.
 */
import { z } from 'zod';
import { serviceParam } from '../params/service.js';
import { faultSchema, type FaultEntry } from './entry-schemas.js';

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
  /** false: the fix is expected not to deploy (a broken compose file, an image that does not build). */
  deploys?: boolean;
}

const fixFields = {
  files: relativeFolder
    .optional()
    .meta({ description: 'Folder (relative to the scenario folder) overlaid onto the workspace.' }),
  edits: editsSchema,
  then: z.array(solutionStepSchema).min(1).default(['apply']),
};

export const wrongFixSchema = z
  .strictObject({
    title: z
      .string()
      .min(1)
      .meta({ description: 'The plausible mistake, e.g. "publish the port the app listens on".' }),
    ...fixFields,
    deploys: z.boolean().optional().meta({
      description:
        'false: this wrong fix is expected not to deploy (verify then requires the deploy to fail); by default it must deploy and then fail the checks.',
    }),
  })
  .meta({
    description:
      'A plausible wrong fix that must NOT pass the checks; `breakfix verify --wrong-fixes` proves it, live and through `grade`.',
  });

export const rightFixSchema = z
  .strictObject({
    title: z
      .string()
      .min(1)
      .meta({ description: 'A valid fix other than the reference solution, e.g. "pass the value through .env".' }),
    ...fixFields,
  })
  .meta({
    description:
      'An alternative valid fix that MUST pass the checks; `breakfix verify --wrong-fixes` proves it, live and through `grade`.',
  });
