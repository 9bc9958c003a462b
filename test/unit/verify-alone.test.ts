import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { instantiateScenario } from '../../engine/scenario/instantiate.js';
import { loadScenarioFile } from '../../engine/scenario/load.js';
import { provenAloneReason } from '../../engine/verify/alone.js';

const scenario = (id: string) => {
  const loaded = loadScenarioFile(path.resolve('scenarios', id, 'scenario.yaml'));
  if (!loaded.ok) throw new Error(`${id} does not load`);
  return instantiateScenario(loaded.scenario, 1);
};

describe('which scenarios verify proves apart from the others', () => {
  it('a load check: alone, whatever its lab', () => {
    expect(provenAloneReason(scenario('hosted-cpu-starved'))).toBe('load');
    expect(provenAloneReason(scenario('shop-pool-exhaustion'))).toBe('load');
  });

  it('a lab of five services or more, read from its compose.yaml: never beside another such', () => {
    expect(provenAloneReason(scenario('hosted-rollback-refused'))).toBe('heavy-lab');
    expect(provenAloneReason(scenario('hosted-managed-db-refuses-app'))).toBe('heavy-lab');
  });

  it('a small lab with no load check shares the lanes freely', () => {
    expect(provenAloneReason(scenario('wrong-port'))).toBeUndefined();
    expect(provenAloneReason(scenario('shop-runs-as-root'))).toBeUndefined();
  });

  it('a lab whose compose.yaml cannot be read counts as small (start reports the real problem)', () => {
    expect(provenAloneReason({ checks: [], labDir: path.resolve('no-such-lab') })).toBeUndefined();
  });
});
