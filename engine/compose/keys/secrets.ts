/** `secrets`: file secrets of the top-level `secrets`, copied into the container before it starts. */
import path from 'node:path';
import { isDict } from '../../source/dict.js';
import { didYouMean } from '../../source/suggest.js';
import type { PathSegment } from '../../source/yaml-source.js';
import type { SecretMountPlan } from '../plan.js';
import type { ServiceKey } from './service-key.js';

export const secretsKey: ServiceKey = {
  keys: ['secrets'],
  build({ raw, at, file, ctx }) {
    const declared = isDict(file.secrets) ? file.secrets : {};
    const secrets: SecretMountPlan[] = [];
    if (!Array.isArray(raw.secrets)) return { secrets };
    raw.secrets.forEach((entry, index) => {
      const entryAt: PathSegment[] = [...at, 'secrets', index];
      const secretName =
        typeof entry === 'string'
          ? entry
          : isDict(entry) && typeof entry.source === 'string'
            ? entry.source
            : undefined;
      if (secretName === undefined) {
        ctx.out.error(entryAt, 'missing required key `source` (a secret of the top-level secrets)', 'key');
        return;
      }
      const nameAt = typeof entry === 'string' ? entryAt : [...entryAt, 'source'];
      const definition = declared[secretName];
      if (!isDict(definition)) {
        ctx.out.error(
          nameAt,
          `secret \`${secretName}\` is not declared under the top-level secrets${didYouMean(secretName, Object.keys(declared))}`,
        );
        return;
      }
      if (typeof definition.file !== 'string') return; // reported with the top-level secret
      const targetText =
        isDict(entry) && typeof entry.target === 'string' && entry.target !== '' ? entry.target : secretName;
      const target = targetText.startsWith('/') ? targetText : `/run/secrets/${targetText}`;
      secrets.push({ name: secretName, file: path.resolve(ctx.projectDir, definition.file), target });
    });
    return { secrets };
  },
};
