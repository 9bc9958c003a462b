/** `labels`: the learner's own container labels (breakfix adds its `breakfix.*` labels beside them). */
import { listOrDict } from '../values.js';
import type { ServiceKey } from './service-key.js';

export const labelsKey: ServiceKey = {
  keys: ['labels'],
  build: ({ raw, at, ctx }) => ({ labels: listOrDict(raw.labels, [...at, 'labels'], ctx, 'empty') }),
};
