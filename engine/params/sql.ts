import { z } from 'zod';
import { serviceParam } from './service.js';

/** Who runs a statement where: psql in the container, as the container's own user and database. */
const database = z.string().optional().meta({ description: "Defaults to the container's POSTGRES_DB." });
const user = z.string().optional().meta({ description: "Defaults to the container's POSTGRES_USER." });

/** A statement run in a PostgreSQL service (the `sql` fault). */
export const sqlParams = z.strictObject({
  service: serviceParam.default('db'),
  statement: z.string().min(1),
  database,
  user,
});

/** A statement and the one that puts it back (`sql.reversible`, the `deploy.sql` perturbation). */
export const reversibleSqlParams = (statement: string) =>
  z.strictObject({
    service: serviceParam.default('db'),
    statement: z.string().min(1).meta({ description: statement }),
    undo: z.string().min(1).meta({
      description:
        'SQL that puts the database back. It also runs when the probe was interrupted before `statement` ran, so it must be harmless then (`ALTER TABLE IF EXISTS …`, an UPDATE … WHERE that finds nothing).',
    }),
    database,
    user,
  });
