import { describe, expect, it } from 'vitest';
import {
  countRange,
  isRootUser,
  isVariableName,
  portParam,
  serviceParam,
  variableNameParam,
} from '../../engine/params/index.js';

describe('the parameter vocabulary', () => {
  it('one "is this root?" rule for images and containers', () => {
    for (const user of ['', 'root', '0', '0:0', 'root:staff', '0:1000', ' root '])
      expect(isRootUser(user), user).toBe(true);
    for (const user of ['app', '1000', '1000:0', 'app:root', '01000', 'rooty', 'nobody'])
      expect(isRootUser(user), user).toBe(false);
  });

  it('one variable-name rule', () => {
    for (const name of ['A', '_x', 'DATABASE_URL', 'a1']) {
      expect(isVariableName(name)).toBe(true);
      expect(variableNameParam.safeParse(name).success).toBe(true);
    }
    for (const name of ['', '1A', 'A-B', 'A.B', 'A B', 'é']) {
      expect(isVariableName(name)).toBe(false);
      expect(variableNameParam.safeParse(name).success).toBe(false);
    }
  });

  it('ranges: counts with min ≤ max, ports 1–65535; service names', () => {
    expect(countRange.safeParse({ min: 1, max: 3 }).success).toBe(true);
    expect(countRange.safeParse({ min: 4, max: 3 }).success).toBe(false);
    expect(countRange.safeParse({ min: -1 }).success).toBe(false);
    expect(portParam.safeParse(65535).success).toBe(true);
    expect(portParam.safeParse(0).success).toBe(false);
    expect(portParam.safeParse(65536).success).toBe(false);
    expect(serviceParam.safeParse('api').success).toBe(true);
    expect(serviceParam.safeParse('-api').success).toBe(false);
  });
});
