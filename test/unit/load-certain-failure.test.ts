/** When a load check may stop sending: only once no later answer can change its verdict. */
import { describe, expect, it } from 'vitest';
import { certainFailure, loadCheck } from '../../engine/checks/load.js';

function expectOf(raw: Record<string, unknown>) {
  return loadCheck.params.parse({ service: 'api', requests: 40, expect: raw }).expect;
}

describe('certainFailure', () => {
  it('decides a minimum ratio once the failures put it out of reach, not before', () => {
    const wanted = expectOf({ success: [404], successRatio: 0.85 });
    // 40 × 15 % = 6 failures still allowed.
    expect(certainFailure(wanted, 40, { statusCounts: { '404': 10, '503': 6 }, errors: 0 })).toBe(false);
    expect(certainFailure(wanted, 40, { statusCounts: { '404': 10, '503': 6 }, errors: 1 })).toBe(true);
    expect(certainFailure(wanted, 40, { statusCounts: { '404': 10, '200': 7 }, errors: 0 })).toBe(true);
    expect(certainFailure(wanted, 40, { statusCounts: { '404': 34 }, errors: 0 })).toBe(false);
  });

  it('decides a maximum ratio on successes, and errors and status counts on their maximum', () => {
    expect(
      certainFailure(expectOf({ successRatio: { max: 0.5 } }), 10, { statusCounts: { '200': 5 }, errors: 3 }),
    ).toBe(false);
    expect(
      certainFailure(expectOf({ successRatio: { max: 0.5 } }), 10, { statusCounts: { '200': 6 }, errors: 0 }),
    ).toBe(true);
    const noErrors = expectOf({ successRatio: 0, errors: { max: 0 }, status: { '503': { max: 2 } } });
    expect(certainFailure(noErrors, 10, { statusCounts: { '503': 2 }, errors: 0 })).toBe(false);
    expect(certainFailure(noErrors, 10, { statusCounts: { '503': 3 }, errors: 0 })).toBe(true);
    expect(certainFailure(noErrors, 10, { statusCounts: {}, errors: 1 })).toBe(true);
  });

  it('never decides on a minimum of errors or statuses, or on the p95: later answers can still meet them', () => {
    const wanted = expectOf({ successRatio: 0, errors: { min: 5 }, status: { '200': { min: 3 } }, p95: '10ms' });
    expect(certainFailure(wanted, 10, { statusCounts: { '500': 9 }, errors: 0 })).toBe(false);
  });
});
