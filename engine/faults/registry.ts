import { composeSet } from './compose-set.js';
import { composeUnset } from './compose-unset.js';
import { containerKill } from './container-kill.js';
import { containerMemory } from './container-memory.js';
import { containerPause } from './container-pause.js';
import { containerStop } from './container-stop.js';
import { diskFill } from './disk-fill.js';
import { envSet } from './env-set.js';
import { envUnset } from './env-unset.js';
import type { FaultDefinition } from './fault.js';
import { fileChmod } from './file-chmod.js';
import { fileRemove } from './file-remove.js';
import { fileReplace } from './file-replace.js';
import { fileWrite } from './file-write.js';
import { gitCommit } from './git-commit.js';
import { gitRewrite } from './git-rewrite.js';
import { imageBakeSecret } from './image-bake-secret.js';
import { imageRetag } from './image-retag.js';
import { networkBlackhole } from './network-blackhole.js';
import { networkDelay } from './network-delay.js';
import { networkDisconnect } from './network-disconnect.js';
import { networkLoss } from './network-loss.js';
import { networkRefuse } from './network-refuse.js';
import { processStress } from './process-stress.js';
import { sqlFault } from './sql.js';
import { sqlReversible } from './sql-reversible.js';

/** Every fault type breakfix knows. A new type is one file plus one line here. */
export const faultRegistry: readonly FaultDefinition[] = [
  composeSet,
  composeUnset,
  fileReplace,
  fileRemove,
  fileWrite,
  fileChmod,
  gitCommit,
  gitRewrite,
  envSet,
  envUnset,
  imageRetag,
  imageBakeSecret,
  containerKill,
  containerStop,
  containerPause,
  containerMemory,
  networkDisconnect,
  networkDelay,
  networkLoss,
  networkBlackhole,
  networkRefuse,
  diskFill,
  processStress,
  sqlFault,
  sqlReversible,
];

export function findFault(type: string): FaultDefinition | undefined {
  return faultRegistry.find((definition) => definition.type === type);
}
