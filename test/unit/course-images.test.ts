/** A course's image recipes join the catalogue after breakfix's own, each with its FROM as parent. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IMAGE_CATALOGUE } from '../../engine/images/catalogue.js';
import { catalogueWithCourses } from '../../engine/images/course-images.js';
import { recipeHashes } from '../../engine/images/image-status.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function recipe(from: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bf-recipe-'));
  dirs.push(dir);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'Dockerfile'), `FROM ${from}\nRUN true\n`);
  return dir;
}

describe('catalogueWithCourses', () => {
  it('appends recipes with their parent (a breakfix image or an earlier recipe); a known tag once', async () => {
    const tools = await recipe('breakfix/base:bookworm');
    const web = await recipe('net-basics/tools:1');
    const catalogue = catalogueWithCourses([
      {
        id: 'net-basics',
        images: [
          { tag: 'net-basics/tools:1', recipeDir: tools, description: 'dig and curl' },
          { tag: 'net-basics/web:1', recipeDir: web, description: '' },
          { tag: 'breakfix/base:bookworm', recipeDir: tools, description: 'a clash validate reports' },
        ],
      },
    ]);
    expect(catalogue.slice(0, IMAGE_CATALOGUE.length)).toEqual(IMAGE_CATALOGUE);
    expect(catalogue.slice(IMAGE_CATALOGUE.length)).toEqual([
      {
        name: 'course:net-basics/net-basics/tools:1',
        tag: 'net-basics/tools:1',
        kind: 'dockerfile',
        parent: 'base',
        recipeDir: tools,
        description: 'dig and curl',
      },
      {
        name: 'course:net-basics/net-basics/web:1',
        tag: 'net-basics/web:1',
        kind: 'dockerfile',
        parent: 'course:net-basics/net-basics/tools:1',
        recipeDir: web,
        description: 'an image of the course net-basics',
      },
    ]);
    // A child's recipe hash includes its parent's: a new breakfix base rebuilds the course's images.
    const hashes = await recipeHashes(catalogue);
    expect(hashes.get('course:net-basics/net-basics/web:1')).toMatch(/^[0-9a-f]{16,}$/);
  });
});
