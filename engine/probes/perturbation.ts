/**
 * Perturbations a probe may use besides restorable runtime faults: kinds of disturbance that
 * only make sense inside a probe because they act on a redeploy rather than on running
 * containers. One entry per kind, like the fault and check registries.
 */
import { z } from 'zod';
import { serviceParam } from '../params/service.js';
import { reversibleSqlParams } from '../params/sql.js';
import { durationSchema } from '../util/duration.js';

export interface PerturbationDefinition<Params extends z.ZodObject = z.ZodObject> {
  type: string;
  summary: string;
  params: Params;
  services?(params: z.infer<Params>): string[];
}

/**
 * `deploy.hold`: redeploy the running release, holding one service's program back for a while
 * after its container starts. Whatever really waits for that service (a `depends_on` condition that holds) starts
 * after the hold; whatever only happened to start later because the service was quick starts
 * during it — so ordering is proven by the deploy itself, not assumed from a file.
 */
export const deployHold = {
  type: 'deploy.hold',
  summary:
    'Redeploy the running release (the named service and everything that depends on it), holding the program of the named service back for `for` after its container starts (its image needs /bin/sh and sleep).',
  params: z.strictObject({
    service: serviceParam,
    for: durationSchema
      .default(5_000)
      .meta({ description: 'How long the program of the service waits after its container starts.' }),
  }),
  services: (params: { service: string }) => [params.service],
} satisfies PerturbationDefinition;

/**
 * `release.forward`: after a rollback, deploy again the release the lab rolled back from, then
 * put the running release back (see release-forward.ts).
 */
export const releaseForward = {
  type: 'release.forward',
  summary:
    'After a rollback: deploy again the release the lab rolled back from (its recorded images and configuration), observe, then redeploy the running release.',
  params: z.strictObject({}),
} satisfies PerturbationDefinition;

/**
 * `deploy.sql`: change the database under the running release, redeploy it, observe; undone by
 * an inverse statement and another redeploy (see deploy-sql.ts).
 */
export const deploySql = {
  type: 'deploy.sql',
  summary:
    'Run `statement` in a PostgreSQL service, then redeploy the running release from scratch (data volumes kept) and observe what the deploy does; undone by running `undo` and redeploying. E.g. un-record a migration so that it fails when it runs again.',
  params: reversibleSqlParams('SQL run before the redeploy.'),
  services: (params: { service: string }) => [params.service],
} satisfies PerturbationDefinition;

export const perturbationRegistry: readonly PerturbationDefinition[] = [deployHold, releaseForward, deploySql];

export function findPerturbation(type: string): PerturbationDefinition | undefined {
  return perturbationRegistry.find((definition) => definition.type === type);
}
