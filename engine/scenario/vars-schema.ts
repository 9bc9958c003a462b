/**
 * `vars:` — seeded random parameters, used as "{{ vars.NAME }}" in the templated keys of a
 * scenario (part of the scenario format, engine/scenario/schema.ts).
 */
import { z } from 'zod';
import { VARIABLE_NAME as VAR_NAME } from '../params/variable-name.js';

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
