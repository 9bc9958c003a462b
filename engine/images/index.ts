/** Public entry of breakfix's own images: catalogue, status, and `ensureImages`. */
export { IMAGE_CATALOGUE, imageSpec, imageForTag } from './catalogue.js';
export type { ImageName, ImageSpec } from './catalogue.js';
export { ensureImages } from './ensure-images.js';
export type { EnsureImagesOptions, EnsuredImage, ImagesProgress } from './ensure-images.js';
export { listImageStatus, inspectImageStatus, recipeHashes, imageLabels, breakfixVersion } from './image-status.js';
export type { ImageState, ImageStatus } from './image-status.js';
export { recipeHash } from './recipe-hash.js';
export { describeImagesProgress, fitLine, formatSeconds } from './progress-text.js';
