import { z } from 'zod';

/** A folder of the scenario's lab source (labs/<lab>), e.g. `releases/1.4.0`. */
export const labSourceParam = z
  .string()
  .refine(
    (value) => !value.startsWith('/') && !value.split('/').includes('..'),
    'must be a folder inside the lab, without ".."',
  )
  .default('.');

export const buildArgsParam = z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).default({});
