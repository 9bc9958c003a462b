import { describe, expect, it } from 'vitest';
import { secretForms } from '../../engine/checks/secret-forms.js';

const key = 'shop-admin-7f3c9a1e5b2d4f60';
const found = (text: string) => secretForms(key).some((needle) => Buffer.from(text).includes(needle));

describe('secretForms', () => {
  it('finds the secret as it is, base64-encoded at any alignment (with a newline, inside JSON), and hex', () => {
    expect(found(`ADMIN_KEY=${key}`)).toBe(true);
    expect(found(Buffer.from(key).toString('base64'))).toBe(true);
    expect(found(Buffer.from(`${key}\n`).toString('base64'))).toBe(true);
    for (const prefix of ['x', 'xy', 'xyz', '{"key":"'])
      expect(found(`k: ${Buffer.from(`${prefix}${key}"}`).toString('base64')}`), prefix).toBe(true);
    expect(found(Buffer.from(`${prefix()}${key}`).toString('base64url'))).toBe(true);
    expect(found(Buffer.from(key).toString('hex'))).toBe(true);
  });

  it('does not find another key, nor the base64 of another key', () => {
    const other = 'shop-admin-0000000000000000';
    expect(found(other)).toBe(false);
    expect(found(Buffer.from(other).toString('base64'))).toBe(false);
  });
});

function prefix(): string {
  return '??>';
}
