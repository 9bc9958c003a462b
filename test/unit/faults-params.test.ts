/**
 * The zod params of every registered fault type: defaults, required keys, unknown keys and bad
 * values. Generated from the registry: a new fault type fails this file until it has a sample
 * in test/support/fault-param-samples.ts, so no type ships without its parameters being pinned down.
 */
import { describe, expect, it } from 'vitest';
import { faultRegistry, findFault } from '../../engine/faults/registry.js';
import { faultSamples as samples } from '../support/fault-param-samples.js';
import { describeRegistryParams, mergedParams } from '../support/params-suite.js';

describeRegistryParams({
  kind: 'fault',
  file: 'faults-params.test.ts',
  registry: faultRegistry,
  find: findFault,
  samples,
  unknownType: 'container.explode',
  more: (definition, sample) => {
    it('runs in its phase', () => {
      expect(definition.phase).toBe(sample.phase);
    });

    it('names the missing key when a required one is left out', () => {
      for (const key of sample.required) {
        const result = definition.params.safeParse(mergedParams(sample, { [key]: undefined }));
        expect(
          result.error?.issues.some((issue) => issue.path[0] === key),
          `${definition.type} without ${key}`,
        ).toBe(true);
      }
    });

    it('refuses unknown keys (a typo must not be ignored)', () => {
      const result = definition.params.safeParse({ ...sample.minimal, servcie: 'api' });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['servcie'] });
    });
  },
});

describe('compose paths name their service', () => {
  it.each([
    ['services.api.environment.PORT', ['api']],
    ['services["my.svc"].image', ['my.svc']],
    ['volumes.db-data', []],
    ['secrets', []],
  ])('%s → %j', (path, services) => {
    const definition = findFault('compose.unset')!;
    expect(definition.services?.(definition.params.parse({ path }))).toEqual(services);
  });
});
