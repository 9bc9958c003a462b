import type { CheckDefinition } from './check.js';
import { containerCheck } from './container.js';
import { envCheck } from './env.js';
import { execCheck } from './exec.js';
import { fileCheck } from './file.js';
import { gitHistoryCheck } from './git-history.js';
import { httpCheck } from './http.js';
import { imageCheck } from './image.js';
import { loadCheck } from './load.js';
import { logsCheck } from './logs.js';
import { markdownCheck } from './markdown.js';
import { memoryCheck } from './memory.js';
import { metricsCheck } from './metrics.js';
import { redisInfoCheck } from './redis-info.js';
import { sqlCheck } from './sql.js';
import { stopCheck } from './stop.js';

/** Every check type breakfix knows. A new type is one file plus one line here. */
export const checkRegistry: readonly CheckDefinition[] = [
  httpCheck,
  containerCheck,
  logsCheck,
  execCheck,
  sqlCheck,
  imageCheck,
  envCheck,
  fileCheck,
  markdownCheck,
  loadCheck,
  metricsCheck,
  redisInfoCheck,
  stopCheck,
  memoryCheck,
  gitHistoryCheck,
];

export function findCheck(type: string): CheckDefinition | undefined {
  return checkRegistry.find((definition) => definition.type === type);
}
