/**
 * Image recipes a course declares (`images:` in breakfix-course.yaml) join breakfix's own
 * catalogue, after it: `breakfix images` and `doctor --fix` build them offline, label them and
 * hash their recipes like breakfix's own, so a changed recipe is rebuilt and an unchanged one
 * costs one inspect. A recipe builds FROM one of breakfix's images or an earlier recipe of a
 * course; that image is its parent, whose hash is part of its own (a new base rebuilds it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { baseImagesOf } from '../runtime/build-image.js';
import { IMAGE_CATALOGUE, type ImageSpec } from './catalogue.js';

export interface CourseImages {
  id: string;
  images: ReadonlyArray<{ tag: string; recipeDir: string; description: string }>;
}

function dockerfileOf(recipeDir: string): string {
  try {
    return readFileSync(path.join(recipeDir, 'Dockerfile'), 'utf8');
  } catch {
    // validate reports the missing Dockerfile; the build then says it again, with the path.
    return '';
  }
}

export function catalogueWithCourses(courses: readonly CourseImages[]): ImageSpec[] {
  const catalogue: ImageSpec[] = [...IMAGE_CATALOGUE];
  for (const course of courses) {
    for (const recipe of course.images) {
      // A tag already in the catalogue (breakfix's own, or a course seen twice) is built once.
      if (catalogue.some((spec) => spec.tag === recipe.tag)) continue;
      const parent = baseImagesOf(dockerfileOf(recipe.recipeDir))
        .map((tag) => catalogue.find((spec) => spec.tag === tag))
        .find((spec) => spec !== undefined);
      catalogue.push({
        name: `course:${course.id}/${recipe.tag}`,
        tag: recipe.tag,
        kind: 'dockerfile',
        ...(parent ? { parent: parent.name } : {}),
        recipeDir: recipe.recipeDir,
        description: recipe.description || `an image of the course ${course.id}`,
      });
    }
  }
  return catalogue;
}
