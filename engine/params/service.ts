import { z } from 'zod';

/** A Compose service name: what a fault, a check or a solution step names a service by. */
export const serviceParam = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'must be a compose service name')
  .meta({ description: 'A service of the lab compose file.' });
