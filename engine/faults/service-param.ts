import { z } from 'zod';

export const serviceParam = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'must be a compose service name')
  .meta({ description: 'A service of the lab compose file.' });
