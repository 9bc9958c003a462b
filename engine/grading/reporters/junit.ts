/**
 * `--reporter junit`: JUnit XML valid against the widely used Apache Ant / Windy Road
 * `JUnit.xsd` (the schema Jenkins, GitLab and the GitHub report actions accept; vendored in
 * test/fixtures/junit/ and checked in the unit tests). That schema shapes the document:
 *
 *   <testsuites>                                  no attributes allowed here
 *     <testsuite package="breakfix" id="0" name="<scenario>" timestamp hostname tests
 *                failures errors skipped time>
 *       <properties>                              required: score, maxScore, seed, points per check
 *       <testcase classname="<scenario>" name="<check id>: <title>" time="<seconds>">
 *         <failure message type="<check type>">evidence</failure>   a failed check
 *         <error message type="errored">evidence</error>            the checker could not observe
 *       <system-out>                              required: score line and hints of failed checks
 *       <system-err>                              required, empty
 *
 * Per-check points live in the suite's properties (`points.<check id>` = "earned/max"): the
 * schema allows properties only at suite level and at most one child per test case.
 */
import os from 'node:os';
import { create } from 'xmlbuilder2';
import type { CheckResult, GradeReport } from '../report.js';
import { checkLabel, oneLine, seconds, xmlSafe as safeChars } from './text-safety.js';

/**
 * xmlbuilder2 leaves an `&` that already looks like an entity (`&amp;`, `&#38;`) unescaped, so
 * evidence that contains `&amp;` would read back as `&`. Escaping every `&` first makes each
 * one look like an entity to it, and the text round-trips exactly.
 */
const xmlSafe = (text: string): string => safeChars(text).replace(/&/g, '&amp;');

export interface JunitOptions {
  /** Defaults to the machine's host name ('localhost' when it has none). */
  hostname?: string;
}

/** `2024-05-01T10:00:00`: the schema's timestamp pattern has no fraction and no zone (UTC here). */
function timestampOf(iso: string): string {
  const date = new Date(iso);
  return (Number.isNaN(date.getTime()) ? new Date(0) : date).toISOString().slice(0, 19);
}

function failureText(check: CheckResult): string {
  const lines = [xmlSafe(check.message), `points: ${check.points}/${check.maxPoints}`];
  if (check.evidence) lines.push('', xmlSafe(check.evidence));
  return `${lines.join('\n')}\n`;
}

function systemOut(report: GradeReport): string {
  const lines = [
    `score ${report.score}/${report.maxScore}${report.seed !== undefined ? ` (seed ${report.seed})` : ''}: ${report.passed ? 'passed' : 'not passed'}`,
  ];
  for (const check of report.checks) {
    if (!check.passed && check.hint) lines.push(`hint for ${check.id}: ${xmlSafe(check.hint).trim()}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One `<testsuites>` document with one `<testsuite>` per report (one per scenario). */
export function renderJunit(reports: GradeReport | readonly GradeReport[], options: JunitOptions = {}): string {
  const list = Array.isArray(reports) ? (reports as readonly GradeReport[]) : [reports as GradeReport];
  const hostname = xmlSafe(oneLine(options.hostname ?? os.hostname())) || 'localhost';
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites');
  list.forEach((report, index) => {
    const failures = report.checks.filter((check) => !check.passed && !check.errored).length;
    const errors = report.checks.filter((check) => check.errored).length;
    const suite = root.ele('testsuite', {
      name: xmlSafe(oneLine(report.scenario)) || 'scenario',
      package: 'breakfix',
      id: String(index),
      timestamp: timestampOf(report.startedAt),
      hostname,
      tests: String(report.checks.length),
      failures: String(failures),
      errors: String(errors),
      skipped: '0',
      time: seconds(report.durationMs),
    });
    const properties = suite.ele('properties');
    const property = (name: string, value: string | number | boolean) =>
      properties.ele('property', { name: xmlSafe(name), value: xmlSafe(String(value)) });
    property('scenario', report.scenario);
    if (report.seed !== undefined) property('seed', report.seed);
    property('passed', report.passed);
    property('score', report.score);
    property('maxScore', report.maxScore);
    for (const check of report.checks) property(`points.${check.id}`, `${check.points}/${check.maxPoints}`);

    for (const check of report.checks) {
      const testcase = suite.ele('testcase', {
        classname: xmlSafe(oneLine(report.scenario)),
        name: xmlSafe(checkLabel(check)),
        time: seconds(check.durationMs),
      });
      if (check.errored)
        testcase.ele('error', { message: xmlSafe(oneLine(check.message)), type: 'errored' }).txt(failureText(check));
      else if (!check.passed)
        testcase
          .ele('failure', { message: xmlSafe(oneLine(check.message)), type: xmlSafe(oneLine(check.type)) || 'check' })
          .txt(failureText(check));
    }
    suite.ele('system-out').txt(systemOut(report));
    suite.ele('system-err');
  });
  return `${root.end({ prettyPrint: true })}\n`;
}
