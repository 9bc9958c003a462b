/**
 * The forms a secret takes when someone "hides" it in a file: as it is, base64-encoded (in any
 * of the three alignments it can start at inside a longer encoded text, so `echo key | base64`
 * and a key inside an encoded JSON are found too), and hex. What `git-history` and `image`
 * search for: an encoded secret committed or baked in is still the secret.
 *
 * Hand-written: secret scanners (gitleaks, trufflehog) decode candidate strings by entropy,
 * which needs their rule sets and a binary; here the secret is known, so its encodings are
 * simply searched for.
 */

/** The base64 characters that depend only on `value` when it starts `offset` bytes into a group. */
function base64Core(value: Buffer, offset: 0 | 1 | 2): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), value]).toString('base64');
  // Leading characters mix in the unknown bytes before the secret; trailing ones, those after it.
  const skip = [0, 2, 3][offset] as number;
  const whole = Math.floor((offset + value.length) / 3) * 4;
  return encoded.slice(skip, whole);
}

/** Needles to search for; forms too short to be telling (under 12 characters) are left out. */
export function secretForms(secret: string): Buffer[] {
  const value = Buffer.from(secret);
  const forms = new Set<string>([secret, value.toString('hex'), value.toString('hex').toUpperCase()]);
  for (const offset of [0, 1, 2] as const) {
    const core = base64Core(value, offset);
    forms.add(core);
    forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((form) => form.length >= 12).map((form) => Buffer.from(form));
}
