/**
 * Escalation stages may declare `symptoms` (what shows once the stage has fired; `verify` proves
 * them on a compressed clock): parsed like the scenario's own symptoms, with the symptom timing
 * defaults, rendered with the scenario's variables, and validated like any check entry.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIMING,
  formatIssue,
  instantiateScenario,
  loadScenarioText,
  type ScenarioIssue,
} from '../../engine/scenario/index.js';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures');
const file = path.join(fixtures, 'scenarios', 'stale-image-tag', 'scenario.yaml');
const original = readFileSync(file, 'utf8');
const STAGE = '    faults:\n      - type: container.pause\n        service: api\n';

function withStageSymptoms(symptoms: string) {
  expect(original).toContain(STAGE);
  return loadScenarioText(file, original.replace(STAGE, `${STAGE}    symptoms:\n${symptoms}`), {
    labsDir: path.join(fixtures, 'labs'),
  });
}

const short = (issue: ScenarioIssue) => formatIssue(issue).slice(issue.file.length + 1);

describe('escalation stage symptoms', () => {
  it('are parsed like symptoms: type, params, the symptom timing defaults', () => {
    const result = withStageSymptoms(
      '      - type: container\n        service: api\n        expect: { running: false }\n      - type: http\n        service: api\n        path: /health\n        expect: { status: 503 }\n        within: 10s\n',
    );
    if (!result.ok) throw new Error(result.errors.map(short).join('\n'));
    const stage = instantiateScenario(result.scenario, 1).escalation?.[1];
    expect(stage?.symptoms).toEqual([
      { type: 'container', timing: DEFAULT_TIMING.symptom, params: { service: 'api', expect: { running: false } } },
      expect.objectContaining({
        type: 'http',
        timing: { timeoutMs: DEFAULT_TIMING.symptom.timeoutMs, withinMs: 10_000 },
      }),
    ]);
    expect(instantiateScenario(result.scenario, 1).escalation?.[0]).not.toHaveProperty('symptoms');
  });

  it('an unknown check type, a service the lab lacks and a graded key are errors at their place', () => {
    const unknown = withStageSymptoms('      - type: contaner\n        service: api\n');
    expect(unknown.ok ? [] : unknown.errors.map(short)).toEqual([
      '74:15: escalation[1].symptoms[0].type: unknown check type `contaner`; did you mean `container`?',
    ]);
    const service = withStageSymptoms(
      '      - type: container\n        service: apii\n        expect: { running: false }\n',
    );
    expect(service.ok ? [] : service.errors.map(short)).toEqual([
      expect.stringMatching(/^75:18: escalation\[1\]\.symptoms\[0\]\.service: .*apii/),
    ]);
    const points = withStageSymptoms(
      '      - type: container\n        service: api\n        expect: { running: false }\n        points: 10\n',
    );
    expect(points.ok).toBe(false);
  });
});
