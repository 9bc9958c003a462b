/**
 * The service keys breakfix deploys, in the order the subset lists them in its messages. A key
 * not read by one of these is refused with a reason (engine/compose/subset.ts).
 */
import { commandKey } from './command.js';
import { cpusKey } from './cpus.js';
import { dependsOnKey } from './depends-on.js';
import { environmentKey } from './environment.js';
import { healthcheckKey } from './healthcheck.js';
import { imageBuildKey } from './image-build.js';
import { labelsKey } from './labels.js';
import { loggingKey } from './logging.js';
import { memLimitKey } from './mem-limit.js';
import { networksKey } from './networks.js';
import { portsKey } from './ports.js';
import { restartKey } from './restart.js';
import { secretsKey } from './secrets.js';
import type { ServiceKey } from './service-key.js';
import { stopKey } from './stop.js';
import { userKey } from './user.js';
import { volumesKey } from './volumes.js';

export const serviceKeys: readonly ServiceKey[] = [
  imageBuildKey,
  environmentKey,
  portsKey,
  secretsKey,
  volumesKey,
  healthcheckKey,
  dependsOnKey,
  commandKey,
  userKey,
  restartKey,
  memLimitKey,
  cpusKey,
  networksKey,
  labelsKey,
  loggingKey,
  stopKey,
];
