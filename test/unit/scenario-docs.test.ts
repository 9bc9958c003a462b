/**
 * docs/scenario-format.md must not drift from the registries: its generated section is
 * rebuilt here and compared. Refresh with BREAKFIX_UPDATE_GENERATED=1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRegistry } from '../../engine/checks/registry.js';
import { faultRegistry } from '../../engine/faults/registry.js';
import { packageRoot } from '../../engine/paths.js';
import { scenarioTypeReference, withGeneratedReference } from '../../engine/scenario/docs.js';
import { DEFAULT_TIMING } from '../../engine/scenario/index.js';
import { SUPPORTED_KEYS } from '../../engine/compose/index.js';

const scenarioDoc = path.join(packageRoot, 'docs', 'scenario-format.md');
const composeDoc = path.join(packageRoot, 'docs', 'compose-subset.md');

describe('docs/scenario-format.md', () => {
  it('has the generated fault and check reference up to date', () => {
    const current = readFileSync(scenarioDoc, 'utf8');
    const expected = withGeneratedReference(current);
    if (process.env.BREAKFIX_UPDATE_GENERATED === '1' && expected !== current) writeFileSync(scenarioDoc, expected);
    expect(readFileSync(scenarioDoc, 'utf8')).toBe(expected);
  });

  it('documents every type with its params', () => {
    const reference = scenarioTypeReference();
    for (const definition of faultRegistry) {
      expect(reference).toContain(`#### fault: ${definition.type}`);
      for (const key of Object.keys(definition.params.shape))
        expect(reference, `${definition.type}.${key}`).toContain(`| \`${key}\` |`);
    }
    for (const definition of checkRegistry) {
      expect(reference).toContain(`#### check: ${definition.type}`);
      for (const key of Object.keys(definition.params.shape))
        expect(reference, `${definition.type}.${key}`).toContain(`| \`${key}\` |`);
    }
    expect(reference).toContain('| `expect.json[].path` | string | yes |');
  });

  it('states the timing defaults the code uses', () => {
    const doc = readFileSync(scenarioDoc, 'utf8');
    const seconds = (ms: number) => `\`${ms / 1000}s\``;
    expect(doc).toContain(
      `| symptom | ${seconds(DEFAULT_TIMING.symptom.timeoutMs)} | ${seconds(DEFAULT_TIMING.symptom.withinMs)} |`,
    );
    expect(doc).toContain(
      `| graded check | ${seconds(DEFAULT_TIMING.check.timeoutMs)} | ${seconds(DEFAULT_TIMING.check.withinMs)} |`,
    );
  });
});

describe('docs/compose-subset.md', () => {
  it('lists every supported key', () => {
    const doc = readFileSync(composeDoc, 'utf8');
    for (const [place, keys] of Object.entries(SUPPORTED_KEYS))
      for (const key of keys) expect(doc, `${place}: ${key}`).toMatch(new RegExp(`[\`{ ]${key}[\`,} :]`));
  });
});
