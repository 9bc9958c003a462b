/**
 * Every scenario proves itself: the fault bites (symptoms observed), the checks fail on the
 * broken lab, each declared plausible wrong fix is rejected, the reference solution passes,
 * and nothing labelled with the session is left afterwards.
 */
import { describe, expect, it } from 'vitest';
import { verifyLab } from '../../engine/api.js';
import { listScenarios } from '../../engine/scenario/discover.js';

const FIXED_IDS = [
  'missing-env-var',
  'secret-not-mounted',
  'wrong-port',
  'healthcheck-wrong-path',
  'stale-image-tag',
  'migration-not-applied',
  'logs-not-collected',
  'rollback-schema-change',
];

describe('the seed scenarios', () => {
  it('are the eight failure cases of seed 003', () => {
    expect(
      listScenarios()
        .map((scenario) => scenario.id)
        .sort(),
    ).toEqual([...FIXED_IDS].sort());
  });

  for (const { id } of listScenarios()) {
    it(
      `${id}: symptoms observed, wrong fixes rejected, solution passes, nothing leaked`,
      { timeout: 240_000 },
      async () => {
        const result = await verifyLab(id, { wrongFixes: true });
        expect(result.error).toBeUndefined();
        expect(result).toMatchObject({
          symptomsObserved: true,
          failedBeforeFix: true,
          solutionPassed: true,
          leaked: 0,
          ok: true,
        });
        expect(result.wrongFixesRejected.length).toBeGreaterThan(0);
        for (const fix of result.wrongFixesRejected) expect(fix, fix.title).toMatchObject({ rejected: true });
      },
    );
  }
});
