import { Parser, type Result } from 'tap-parser';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../engine/grading/reporters/index.js';
import { renderTap, tapDescription } from '../../engine/grading/reporters/tap.js';
import { allPassed, check, HOSTILE, mixed, report } from '../fixtures/junit/reports.js';

interface Parsed {
  version?: number;
  asserts: Result[];
  complete: NonNullable<Parser['results']>;
  errors: unknown[];
  comments: string[];
}

function parseTap(text: string): Parsed {
  const parser = new Parser({ strict: true });
  const parsed: Parsed = {
    asserts: [],
    errors: [],
    comments: [],
    complete: undefined as unknown as NonNullable<Parser['results']>,
  };
  parser.on('version', (version: number) => (parsed.version = version));
  parser.on('assert', (result: Result) => parsed.asserts.push(result));
  parser.on('comment', (comment: string) => parsed.comments.push(comment));
  parser.on('complete', (results: NonNullable<Parser['results']>) => (parsed.complete = results));
  parser.on('extra', (line: string) => parsed.errors.push(line));
  parser.end(text);
  return parsed;
}

describe('tap reporter', () => {
  it('is TAP version 14 with a plan, one test point per check and YAML diagnostics', () => {
    const text = renderTap(mixed);
    const lines = text.split('\n');
    expect(lines[0]).toBe('TAP version 14');
    expect(lines).toContain('1..4');
    expect(lines.filter((line) => /^(not )?ok \d+ - /.test(line))).toEqual([
      'not ok 1 - api-healthy: The API answers /health',
      'not ok 2 - api-stable: The API \\# stays \\\\ up',
      'not ok 3 - db-ready: The database answers',
      'ok 4 - logs-clean',
    ]);
    // Every diagnostics block is indented by two spaces and framed by --- and ...
    const opens = lines.filter((line) => line === '  ---').length;
    const closes = lines.filter((line) => line === '  ...').length;
    expect([opens, closes]).toEqual([4, 4]);
    let inside = false;
    for (const line of lines) {
      if (line === '  ---') inside = true;
      else if (line === '  ...') inside = false;
      else if (inside) expect(line.startsWith('  ')).toBe(true);
    }
  });

  it('parses with tap-parser (strict) into the same verdicts, names and diagnostics', () => {
    const parsed = parseTap(renderTap(mixed));
    expect(parsed.version).toBe(14);
    expect(parsed.errors).toEqual([]);
    expect(parsed.complete.ok).toBe(false);
    expect(parsed.complete.plan).toMatchObject({ start: 1, end: 4 });
    expect([parsed.complete.count, parsed.complete.pass, parsed.complete.fail]).toEqual([4, 1, 3]);
    expect(parsed.asserts.map((result) => result.name)).toEqual([
      'api-healthy: The API answers /health',
      'api-stable: The API # stays \\ up',
      'db-ready: The database answers',
      'logs-clean',
    ]);
    const [partial, failed, errored, passed] = parsed.asserts.map((result) => result.diag as Record<string, unknown>);
    expect(partial).toMatchObject({
      severity: 'fail',
      points: 35,
      maxPoints: 70,
      message: 'GET /health: expected 200, got 503 (half the replicas answer)',
      evidence: 'HTTP/1.1 503\n{"status":"degraded"}',
    });
    expect(failed).toMatchObject({
      severity: 'fail',
      points: 0,
      maxPoints: 30,
      hint: "Read the api container's logs from its last start.",
    });
    expect(errored).toMatchObject({
      severity: 'error',
      errored: true,
      points: 0,
      maxPoints: 10,
      message: 'no result within 3000ms',
    });
    expect(passed).toMatchObject({ severity: 'pass', points: 5, maxPoints: 5 });
    expect(passed).not.toHaveProperty('hint');
    expect(parsed.comments.join('')).toContain('# score 40/115: 1 passed, 2 failed, 1 errored');
  });

  it('an all-passed report parses as ok', () => {
    const parsed = parseTap(renderReport(allPassed, 'tap'));
    expect(parsed.complete.ok).toBe(true);
    expect([parsed.complete.count, parsed.complete.pass]).toEqual([2, 2]);
  });

  it('keeps hostile evidence inside the YAML block: escapes stripped, controls visible, nothing leaks into the stream', () => {
    const text = renderTap(
      report('hostile', [
        check({ id: 'x', status: 'failed', evidence: `${HOSTILE}\nnot ok 99 - injected\n  ...\nBail out! gotcha` }),
      ]),
    );
    const parsed = parseTap(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.complete.bailout).toBe(false);
    expect(parsed.complete.count).toBe(1);
    const evidence = (parsed.asserts[0]!.diag as { evidence: string }).evidence;
    expect(evidence).toContain('ANSI red NUL\\x00 BEL\\x07');
    expect(evidence).toContain(']]> <tag a="b"> &amp;');
    expect(evidence).toContain('lone \ufffd surrogate');
    expect(evidence).toContain('not ok 99 - injected');
    expect(text).not.toContain('\x1b');
  });

  it('escapes # and backslash in descriptions so a title cannot become a directive', () => {
    expect(tapDescription('a # SKIP b \\ c')).toBe('a \\# SKIP b \\\\ c');
    const parsed = parseTap(
      renderTap(report('s', [check({ id: 'x', title: 'tricky # SKIP not really', status: 'failed' })])),
    );
    expect(parsed.complete.skip).toBe(0);
    expect(parsed.complete.fail).toBe(1);
  });
});
