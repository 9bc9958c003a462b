import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root, found by walking up from this file: the same code runs from `engine/`
 * (tests, through vite) and from `dist/engine/` (the built CLI).
 */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('breakfix: cannot find package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot();
export const labsDir = path.join(packageRoot, 'labs');
export const scenariosDir = path.join(packageRoot, 'scenarios');
export const imageRecipesDir = path.join(labsDir, 'images');
