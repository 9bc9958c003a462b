/** `env_file` then `environment` (which wins, as in Compose): the container's variables. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDict } from '../../source/dict.js';
import { parseDotenv } from '../../util/dotenv.js';
import { isInside, pathKind } from '../../util/file-system.js';
import type { ServiceInput } from '../context.js';
import { listOrDict } from '../values.js';
import type { ServiceKey } from './service-key.js';

export const environmentKey: ServiceKey = {
  keys: ['environment', 'env_file'],
  build(input) {
    const environment = envFiles(input);
    Object.assign(environment, listOrDict(input.raw.environment, [...input.at, 'environment'], input.ctx, 'resolve'));
    return { environment };
  },
};

function envFiles({ raw, at, ctx }: ServiceInput): Record<string, string> {
  const environment: Record<string, string> = {};
  if (raw.env_file === undefined) return environment;
  const entries = Array.isArray(raw.env_file) ? raw.env_file : [raw.env_file];
  entries.forEach((entry, index) => {
    const entryAt = Array.isArray(raw.env_file) ? [...at, 'env_file', index] : [...at, 'env_file'];
    const spec =
      typeof entry === 'string'
        ? { path: entry, required: true }
        : isDict(entry)
          ? { path: String(entry.path), required: entry.required !== false && entry.required !== 'false' }
          : undefined;
    if (!spec) return;
    const absolute = path.resolve(ctx.projectDir, spec.path);
    const pathAt = isDict(entry) ? [...entryAt, 'path'] : entryAt;
    if (!isInside(ctx.workspace, absolute)) {
      ctx.out.error(pathAt, `env file ${JSON.stringify(spec.path)} is outside the workspace`);
      return;
    }
    if (pathKind(absolute) !== 'file') {
      if (spec.required) ctx.out.error(pathAt, `env file ${JSON.stringify(spec.path)} does not exist in the workspace`);
      return;
    }
    try {
      for (const variable of parseDotenv(readFileSync(absolute, 'utf8'))) environment[variable.key] = variable.value;
    } catch {
      ctx.out.error(pathAt, `cannot read env file ${JSON.stringify(spec.path)}`);
    }
  });
  return environment;
}
