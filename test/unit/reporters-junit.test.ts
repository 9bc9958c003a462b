import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { validateXML } from 'xmllint-wasm';
import { renderJunit } from '../../engine/grading/reporters/junit.js';
import { renderReport } from '../../engine/grading/reporters/index.js';
import { allPassed, check, HOSTILE, mixed, report } from '../fixtures/junit/reports.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const XSD = readFileSync(path.join(here, '../fixtures/junit/JUnit.xsd'), 'utf8');

async function validate(xml: string) {
  return validateXML({
    xml: [{ fileName: 'report.xml', contents: xml }],
    schema: [{ fileName: 'JUnit.xsd', contents: XSD }],
  });
}

interface Element {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: Element[];
}

/** The document as a plain tree, through a real XML parser (entities decoded). */
function parse(xml: string): Element {
  const toElement = (node: ReturnType<typeof create>): Element => {
    const dom = node.node as unknown as {
      nodeName: string;
      attributes: ArrayLike<{ name: string; value: string }>;
      childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>;
    };
    const children: Element[] = [];
    let text = '';
    node.each((child) => {
      if (child.node.nodeType === 1) children.push(toElement(child));
      else if (child.node.nodeType === 3) text += child.node.textContent ?? '';
    });
    const attributes: Record<string, string> = {};
    for (const attribute of Array.from(dom.attributes)) attributes[attribute.name] = attribute.value;
    return { name: dom.nodeName, attributes, text, children };
  };
  return toElement(create(xml).root());
}

const childrenNamed = (element: Element, name: string) => element.children.filter((child) => child.name === name);

describe('junit reporter', () => {
  it('is valid against the vendored JUnit.xsd for a passing, a mixed and an empty report', async () => {
    for (const sample of [allPassed, mixed, report('no-checks', [])]) {
      const result = await validate(renderJunit(sample, { hostname: 'grader-1' }));
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
    }
  });

  it('the XSD check can fail: a document without <system-err> or with a zoned timestamp is rejected', async () => {
    const xml = renderJunit(allPassed);
    const withoutErr = xml.replace(/\s*<system-err\/>/, '');
    expect(withoutErr).not.toBe(xml);
    expect((await validate(withoutErr)).valid).toBe(false);
    const zoned = xml.replace(/timestamp="([^"]+)"/, 'timestamp="$1Z"');
    expect((await validate(zoned)).valid).toBe(false);
  });

  it('has one testsuite per scenario and one testcase per check, with counts and seconds', () => {
    const root = parse(renderJunit(mixed, { hostname: 'grader-1' }));
    expect(root.name).toBe('testsuites');
    const suites = childrenNamed(root, 'testsuite');
    expect(suites).toHaveLength(1);
    const suite = suites[0]!;
    expect(suite.attributes).toMatchObject({
      name: 'missing-env-var',
      package: 'breakfix',
      id: '0',
      hostname: 'grader-1',
      tests: '4',
      failures: '2',
      errors: '1',
      skipped: '0',
      time: '12.345',
      timestamp: '2026-03-04T05:06:07',
    });
    const cases = childrenNamed(suite, 'testcase');
    expect(cases.map((entry) => entry.attributes.classname)).toEqual([
      'missing-env-var',
      'missing-env-var',
      'missing-env-var',
      'missing-env-var',
    ]);
    expect(cases.map((entry) => entry.attributes.name)).toEqual([
      'api-healthy: The API answers /health',
      'api-stable: The API # stays \\ up',
      'db-ready: The database answers',
      'logs-clean',
    ]);
    expect(cases.map((entry) => entry.attributes.time)).toEqual(['0.250', '0.250', '0.250', '0.250']);
    expect(cases.map((entry) => entry.children.map((child) => child.name))).toEqual([
      ['failure'],
      ['failure'],
      ['error'],
      [],
    ]);
  });

  it('puts score, maxScore and the points of every check (partial credit too) in the properties', () => {
    const suite = childrenNamed(parse(renderJunit(mixed)), 'testsuite')[0]!;
    const properties = Object.fromEntries(
      childrenNamed(childrenNamed(suite, 'properties')[0]!, 'property').map((entry) => [
        entry.attributes.name,
        entry.attributes.value,
      ]),
    );
    expect(properties).toEqual({
      scenario: 'missing-env-var',
      seed: '7',
      passed: 'false',
      score: '40',
      maxScore: '115',
      'points.api-healthy': '35/70',
      'points.api-stable': '0/30',
      'points.db-ready': '0/10',
      'points.logs-clean': '5/5',
    });
  });

  it('writes failures with message, type and the evidence as text; errors for errored checks', () => {
    const suite = childrenNamed(parse(renderJunit(mixed)), 'testsuite')[0]!;
    const [partial, failed, errored] = childrenNamed(suite, 'testcase');
    const partialFailure = partial!.children[0]!;
    expect(partialFailure.attributes).toEqual({
      message: 'GET /health: expected 200, got 503 (half the replicas answer)',
      type: 'http',
    });
    expect(partialFailure.text).toContain('points: 35/70');
    expect(partialFailure.text).toContain('{"status":"degraded"}');
    expect(failed!.children[0]!.attributes.type).toBe('container');
    const error = errored!.children[0]!;
    expect(error.name).toBe('error');
    expect(error.attributes).toEqual({ message: 'no result within 3000ms', type: 'errored' });
  });

  it('escapes XML-hostile evidence: markup survives as text, control characters and lone surrogates do not break the document', async () => {
    const hostileReport = report('hostile', [
      check({
        id: 'x',
        status: 'failed',
        title: 'Title &amp; <more>',
        message: `message with <b>tags</b> & &lt; "quotes" ]]> and \x1b[1mbold\x1b[0m\x00`,
        evidence: HOSTILE,
      }),
    ]);
    const xml = renderJunit(hostileReport);
    expect((await validate(xml)).valid).toBe(true);
    expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
    const failure = childrenNamed(childrenNamed(parse(xml), 'testsuite')[0]!, 'testcase')[0]!.children[0]!;
    expect(failure.attributes.message).toBe('message with <b>tags</b> & &lt; "quotes" ]]> and bold\\x00');
    expect(childrenNamed(childrenNamed(parse(xml), 'testsuite')[0]!, 'testcase')[0]!.attributes.name).toBe(
      'x: Title &amp; <more>',
    );
    expect(failure.text).toContain(']]> <tag a="b"> &amp; \'quoted\'');
    expect(failure.text).toContain('ANSI red NUL\ufffd BEL\ufffd');
    expect(failure.text).toContain('lone \ufffd surrogate');
    expect(failure.text).toContain('emoji 🚀 ok');
  });

  it('lists hints of failed checks in <system-out>, not those of passed ones', () => {
    const withPassedHint = report('hints', [
      check({ id: 'a', hint: 'never shown' }),
      check({ id: 'b', status: 'failed', hint: 'look at the port' }),
    ]);
    const suite = childrenNamed(parse(renderJunit(withPassedHint)), 'testsuite')[0]!;
    const out = childrenNamed(suite, 'system-out')[0]!.text;
    expect(out).toContain('score 10/20 (seed 7): not passed');
    expect(out).toContain('hint for b: look at the port');
    expect(out).not.toContain('never shown');
  });

  it('aggregates several scenarios into one valid document with numbered suites', async () => {
    const xml = renderJunit([allPassed, mixed]);
    expect((await validate(xml)).valid).toBe(true);
    const suites = childrenNamed(parse(xml), 'testsuite');
    expect(suites.map((suite) => [suite.attributes.name, suite.attributes.id])).toEqual([
      ['wrong-port', '0'],
      ['missing-env-var', '1'],
    ]);
  });

  it('is what renderReport gives for the junit format', () => {
    expect(renderReport(mixed, 'junit', { hostname: 'h' })).toBe(renderJunit(mixed, { hostname: 'h' }));
  });
});
