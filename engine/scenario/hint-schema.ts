/** `hints:` — progressive hints, unlocked by failed check rounds or by time (part of the scenario format). */
import { z } from 'zod';
import { durationSchema } from '../util/duration.js';

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
