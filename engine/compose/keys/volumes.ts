/** `volumes`: named volumes declared at the top level; never bind mounts. */
import { isDict } from '../../source/dict.js';
import { didYouMean } from '../../source/suggest.js';
import type { PathSegment } from '../../source/yaml-source.js';
import type { PlanContext } from '../context.js';
import type { VolumeMountPlan } from '../plan.js';
import type { ServiceKey } from './service-key.js';

export const BIND_MOUNT_REASON =
  "bind mounts are not supported: a lab must also work against a remote Docker engine (DOCKER_HOST), which cannot see this machine's files; use a named volume, or COPY the files into the image";

export const volumesKey: ServiceKey = {
  keys: ['volumes'],
  build({ raw, at, file, ctx }) {
    const declared = isDict(file.volumes) ? Object.keys(file.volumes) : [];
    const volumes: VolumeMountPlan[] = [];
    if (Array.isArray(raw.volumes)) {
      raw.volumes.forEach((entry, index) => {
        const mount = parseVolumeMount(entry, [...at, 'volumes', index], declared, ctx);
        if (mount) volumes.push(mount);
      });
    }
    return { volumes };
  },
};

function parseVolumeMount(
  raw: unknown,
  at: PathSegment[],
  declared: string[],
  ctx: PlanContext,
): VolumeMountPlan | undefined {
  let volume: string;
  let target: string;
  let readOnly = false;
  let sourceAt = at;
  if (typeof raw === 'string') {
    const parts = raw.split(':');
    if (parts.length === 1) {
      ctx.out.error(
        at,
        `anonymous volume ${JSON.stringify(raw)} is not supported: name it (e.g. "data:${raw}") and declare it under the top-level volumes`,
      );
      return undefined;
    }
    if (parts.length > 3) {
      ctx.out.error(at, `expected VOLUME:CONTAINER_PATH[:ro], got ${JSON.stringify(raw)}`);
      return undefined;
    }
    volume = parts[0] ?? '';
    target = parts[1] ?? '';
    const mode = parts[2];
    if (mode !== undefined) {
      if (mode !== 'ro' && mode !== 'rw') {
        ctx.out.error(at, `mount mode ${JSON.stringify(mode)} is not supported (ro or rw)`);
        return undefined;
      }
      readOnly = mode === 'ro';
    }
  } else if (isDict(raw)) {
    if (raw.type === 'bind') {
      ctx.out.error([...at, 'type'], BIND_MOUNT_REASON);
      return undefined;
    }
    if (raw.type !== 'volume') {
      ctx.out.error(
        [...at, 'type'],
        `mount type ${JSON.stringify(raw.type)} is not supported (only named volumes: type: volume)`,
      );
      return undefined;
    }
    if (typeof raw.source !== 'string' || raw.source === '') {
      ctx.out.error(at, 'missing required key `source` (the named volume)', 'key');
      return undefined;
    }
    if (typeof raw.target !== 'string') {
      ctx.out.error(at, 'missing required key `target` (the path in the container)', 'key');
      return undefined;
    }
    volume = raw.source;
    target = raw.target;
    sourceAt = [...at, 'source'];
    readOnly = raw.read_only === true || raw.read_only === 'true';
  } else return undefined;
  if (
    volume.startsWith('/') ||
    volume.startsWith('.') ||
    volume.startsWith('~') ||
    volume.includes('/') ||
    /^[A-Za-z]:\\/.test(volume)
  ) {
    ctx.out.error(sourceAt, BIND_MOUNT_REASON);
    return undefined;
  }
  if (!declared.includes(volume)) {
    ctx.out.error(
      sourceAt,
      `volume \`${volume}\` is not declared under the top-level volumes${didYouMean(volume, declared)}`,
    );
    return undefined;
  }
  if (!target.startsWith('/')) {
    ctx.out.error(at, `the mount target must be an absolute path in the container, got ${JSON.stringify(target)}`);
    return undefined;
  }
  return { volume, target, readOnly };
}
