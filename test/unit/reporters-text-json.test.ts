import { describe, expect, it } from 'vitest';
import { toContractJson } from '../../engine/grading/report.js';
import { isReportFormat, renderReport, REPORT_FORMATS, summaryLine } from '../../engine/grading/reporters/index.js';
import { EVIDENCE_LINES, renderText, useColor } from '../../engine/grading/reporters/text.js';
import { allPassed, check, HOSTILE, mixed, report } from '../fixtures/junit/reports.js';

describe('json reporter', () => {
  it('prints the contract shape, with partial credit and the errored flag, plus extra fields', () => {
    const parsed = JSON.parse(renderReport(mixed, 'json')) as Record<string, unknown> & {
      checks: Array<Record<string, unknown>>;
    };
    expect(parsed).toMatchObject({
      scenario: 'missing-env-var',
      passed: false,
      score: 40,
      maxScore: 115,
      seed: 7,
      durationMs: 12_345,
    });
    expect(
      parsed.checks.map(({ id, passed, errored, points, message }) => ({ id, passed, errored, points, message })),
    ).toEqual(
      toContractJson(mixed).checks.map(({ id, passed, errored, points, message }) => ({
        id,
        passed,
        errored,
        points,
        message,
      })),
    );
    expect(parsed.checks[0]).toMatchObject({
      points: 35,
      maxPoints: 70,
      status: 'failed',
      evidence: 'HTTP/1.1 503\n{"status":"degraded"}',
    });
    expect(parsed.checks[2]).toMatchObject({
      passed: false,
      errored: true,
      status: 'errored',
      hint: 'Is the db container running?',
    });
    expect(parsed.checks[3]).not.toHaveProperty('hint');
  });

  it('keeps raw evidence (JSON escapes it losslessly)', () => {
    const parsed = JSON.parse(
      renderReport(report('r', [check({ id: 'x', status: 'failed', evidence: 'a\x00b\x1b[31mc' })]), 'json'),
    ) as { checks: Array<{ evidence: string }> };
    expect(parsed.checks[0]!.evidence).toBe('a\x00b\x1b[31mc');
  });
});

describe('text reporter', () => {
  it('shows ✓ ✗ ! with aligned ids and right-aligned points, messages and hints of failures, and the score', () => {
    const text = renderText(mixed);
    const rows = text.split('\n').filter((line) => /^ {2}[✓✗!] /.test(line));
    expect(rows).toHaveLength(4);
    expect(rows.map((row) => row[2])).toEqual(['✗', '✗', '!', '✓']);
    // Points end in the same column on every row; titles start in the same column.
    expect(new Set(rows.map((row) => row.length)).size).toBe(1);
    expect(new Set(rows.map((row) => row.indexOf('The ')).filter((column) => column > 0)).size).toBe(1);
    expect(rows[0]).toMatch(/api-healthy {2}The API answers \/health +35\/70$/);
    expect(rows[3]).toMatch(/logs-clean +5\/5$/);
    expect(text).toContain('      GET /health: expected 200, got 503 (half the replicas answer)\n');
    expect(text).toContain('      errored: no result within 3000ms\n');
    expect(text).toContain("      hint: Read the api container's logs from its last start.\n");
    expect(text).toMatch(/score 40\/115 · not passed · 12\.3 s\n$/);
    expect(text.split('\n')[0]).toBe('missing-env-var (seed 7): 1 of 4 checks passed');
  });

  it('without colour has no escape sequences at all, even from hostile evidence', () => {
    const text = renderText(report('r', [check({ id: 'x', status: 'failed', evidence: HOSTILE })]), { color: false });
    expect(text).not.toContain('\x1b');
    expect(text).toContain('│ ANSI red NUL\\x00 BEL\\x07');
  });

  it('with colour paints marks and verdict', () => {
    const text = renderText(allPassed, { color: true });
    expect(text).toContain('\x1b[32m✓\x1b[39m');
    expect(text).toContain('\x1b[32mpassed\x1b[39m');
  });

  it(`cuts evidence after ${EVIDENCE_LINES} lines`, () => {
    const evidence = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`).join('\n');
    const text = renderText(report('r', [check({ id: 'x', status: 'failed', evidence })]));
    expect(text).toContain(`│ line ${EVIDENCE_LINES}\n`);
    expect(text).not.toContain(`│ line ${EVIDENCE_LINES + 1}\n`);
    expect(text).toContain(`│ … ${30 - EVIDENCE_LINES} more lines`);
  });

  it('uses colour only on a TTY without NO_COLOR (FORCE_COLOR forces it)', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(useColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor({ isTTY: true }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });
});

describe('renderReport', () => {
  it('knows exactly the four formats', () => {
    expect([...REPORT_FORMATS]).toEqual(['text', 'json', 'junit', 'tap']);
    expect(isReportFormat('junit')).toBe(true);
    expect(isReportFormat('xml')).toBe(false);
    for (const format of REPORT_FORMATS) expect(renderReport(allPassed, format).length).toBeGreaterThan(0);
  });

  it('summarises in one line', () => {
    expect(summaryLine(mixed)).toBe('missing-env-var: not passed, score 40/115, 1 of 4 checks passed, 1 errored');
    expect(summaryLine(allPassed)).toBe('wrong-port: passed, score 100/100, 2 of 2 checks passed');
  });
});
