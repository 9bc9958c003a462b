import { describe, expect, it } from 'vitest';
import { settingsCheck } from '../../engine/doctor/settings.js';

describe("doctor's settings line", () => {
  it('reports the settings it read when they are usable', () => {
    const check = settingsCheck({ BREAKFIX_DEPLOYS_AT_ONCE: '3', BREAKFIX_NETWORK_POOL: '10.213.0.0/16' });
    expect(check).toMatchObject({ name: 'settings', ok: true });
    expect(check.detail).toContain('3 lab deploys at once');
    expect(check.detail).toContain('10.213.0.0/16');
    expect(settingsCheck({}).detail).toMatch(/\d+ lab deploys at once \(two per core\)/);
  });

  it('names every wrong setting and what to do, instead of failing at the first deploy', () => {
    const check = settingsCheck({ BREAKFIX_DEPLOYS_AT_ONCE: 'lots', BREAKFIX_NETWORK_POOL: '10.0.0.0/99' });
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(
      /BREAKFIX_DEPLOYS_AT_ONCE must be a whole number of at least 1, got "lots" \(unset it/,
    );
    expect(check.detail).toMatch(/BREAKFIX_NETWORK_POOL=10\.0\.0\.0\/99 .* not a usable pool/);
  });
});
