/**
 * breakfix's own images, parents before children. Lab Dockerfiles build FROM these tags, so
 * the tags are part of the labs' contract; the recipes live in labs/images/<name>/.
 */
import path from 'node:path';
import { imageRecipesDir } from '../paths.js';

export type BuiltinImageName = 'base' | 'postgres' | 'python' | 'node' | 'node-build' | 'redis' | 'fault-helper';
/** A course's own recipe (`images:` in breakfix-course.yaml): `course:<course-id>/<tag>`. */
export type CourseImageName = `course:${string}`;
export type ImageName = BuiltinImageName | CourseImageName;

export interface ImageSpec {
  name: ImageName;
  tag: string;
  /** `rootfs`: the base, from a registry or debootstrap; `dockerfile`: a plain build of the recipe folder. */
  kind: 'rootfs' | 'dockerfile';
  parent?: ImageName;
  recipeDir: string;
  description: string;
}

export const IMAGE_CATALOGUE: readonly ImageSpec[] = [
  {
    name: 'base',
    tag: 'breakfix/base:bookworm',
    kind: 'rootfs',
    recipeDir: path.join(imageRecipesDir, 'base'),
    description: 'Debian 12 minbase',
  },
  {
    name: 'postgres',
    tag: 'breakfix/postgres:15',
    kind: 'dockerfile',
    parent: 'base',
    recipeDir: path.join(imageRecipesDir, 'postgres'),
    description: "Debian's PostgreSQL 15, official-image compatible entrypoint",
  },
  {
    name: 'python',
    tag: 'breakfix/python:3.11',
    kind: 'dockerfile',
    parent: 'base',
    recipeDir: path.join(imageRecipesDir, 'python'),
    description: "Debian's Python 3.11 with psycopg2 and curl",
  },
  {
    name: 'node',
    tag: 'breakfix/node:18',
    kind: 'dockerfile',
    parent: 'base',
    recipeDir: path.join(imageRecipesDir, 'node'),
    description: "Debian's Node.js 18 with Express, node-postgres, node-redis and curl",
  },
  {
    name: 'node-build',
    tag: 'breakfix/node-build:18',
    kind: 'dockerfile',
    parent: 'node',
    recipeDir: path.join(imageRecipesDir, 'node-build'),
    description: "breakfix/node:18 plus Debian's TypeScript compiler, for build stages",
  },
  {
    name: 'redis',
    tag: 'breakfix/redis:7',
    kind: 'dockerfile',
    parent: 'base',
    recipeDir: path.join(imageRecipesDir, 'redis'),
    description: "Debian's Redis 7 server (no persistence, redis-cli healthcheck)",
  },
  {
    name: 'fault-helper',
    tag: 'breakfix/fault-helper:bookworm',
    kind: 'dockerfile',
    parent: 'base',
    recipeDir: path.join(imageRecipesDir, 'fault-helper'),
    description: 'iptables, iproute2 and a TCP delay proxy, run beside a lab container by the runtime faults',
  },
];

export function imageSpec(name: ImageName): ImageSpec {
  const spec = IMAGE_CATALOGUE.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`unknown breakfix image: ${name}`);
  return spec;
}

/** The image that builds `tag`, e.g. to say "run `breakfix images`" when a lab needs it. */
export function imageForTag(tag: string): ImageSpec | undefined {
  return IMAGE_CATALOGUE.find((candidate) => candidate.tag === tag);
}
