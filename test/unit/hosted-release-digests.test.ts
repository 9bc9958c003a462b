/**
 * hosted-cpu-starved judges that each app slot runs its release as shipped by the sha256 of
 * the release's code, written into the scenario (the learner's workspace cannot be trusted
 * with them). Whoever changes labs/hosted-app/builds/<release>/app.py must update them: this
 * test says so before any lab is started.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const scenario = readFileSync(path.join(root, 'scenarios/hosted-cpu-starved/scenario.yaml'), 'utf8');

describe('hosted-cpu-starved: the shipped digests', () => {
  for (const release of ['1.0.0', '1.1.0']) {
    it(`match labs/hosted-app/builds/${release}/app.py`, () => {
      const code = readFileSync(path.join(root, 'labs/hosted-app/builds', release, 'app.py'));
      const digest = createHash('sha256').update(code).digest('hex');
      expect(scenario).toContain(`"${release}": "${digest}"`);
    });
  }
});
