/**
 * The lint guards bite: a forbidden import and a module over 400 lines each fail `npm run lint`
 * (same config, linted through ESLint's API as if the fixture sat at the given path).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintSource as lint, type LintFinding as Finding } from '../../tools/lint/guards.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/lint/${name}`, import.meta.url), 'utf8');
const rules = (findings: Finding[]) => findings.map((finding) => finding.rule);

/** A module of exactly `lines` lines, each a small valid statement. */
const moduleOf = (lines: number) =>
  Array.from({ length: lines }, (_, index) => `export const value${index} = ${index};`).join('\n') + '\n';

describe('lint guards', { timeout: 180_000 }, () => {
  it('cli/ and server/ may import engine/index.ts only', async () => {
    const text = fixture('cli-reaches-into-engine.ts.txt');
    for (const file of ['cli/commands/peek.ts', 'server/peek.ts']) {
      const findings = await lint(file, text);
      expect(rules(findings), file).toContain('no-restricted-imports');
      expect(findings[0]?.message).toMatch(/import only engine\/index\.ts/);
    }
    const allowed = "import { listScenarios } from '../../engine/index.js';\nexport const list = listScenarios;\n";
    expect(await lint('cli/commands/list-again.ts', allowed)).toEqual([]);
  });

  it('check types do not import fault internals', async () => {
    const findings = await lint('engine/checks/peek.ts', fixture('check-imports-fault.ts.txt'));
    expect(rules(findings)).toContain('no-restricted-imports');
    expect(findings[0]?.message).toMatch(/engine\/checks\/ must not import engine\/faults\//);
    // The same import from a probe (which composes faults and checks) is allowed.
    const probe = fixture('check-imports-fault.ts.txt');
    expect(rules(await lint('engine/probes/peek.ts', probe))).not.toContain('no-restricted-imports');
  });

  it('the engine never imports cli/ or server/', async () => {
    const findings = await lint('engine/session/peek.ts', fixture('engine-imports-cli.ts.txt'));
    expect(rules(findings)).toContain('no-restricted-imports');
  });

  it('no module over 400 lines: 401 fails, 400 passes', async () => {
    const long = await lint('engine/util/long.ts', moduleOf(401));
    expect(rules(long)).toEqual(['max-lines']);
    expect(long[0]?.message).toMatch(/too many lines \(401\)/);
    expect(await lint('engine/util/long.ts', moduleOf(400))).toEqual([]);
    expect(rules(await lint('test/unit/long.test.ts', moduleOf(401)))).toEqual(['max-lines']);
  });
});
