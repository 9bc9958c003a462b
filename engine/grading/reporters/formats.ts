/**
 * What the reporters can produce, kept apart from the renderers so that naming a format (a
 * CLI option, an HTTP Accept header) never loads the XML writer.
 */
import type { GradeReport } from '../report.js';

export const REPORT_FORMATS = ['text', 'json', 'junit', 'tap'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

/** The media type each format is served with over HTTP. */
export const REPORT_MEDIA_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  junit: 'application/xml; charset=utf-8',
  tap: 'text/x-tap; charset=utf-8',
  text: 'text/plain; charset=utf-8',
};

/** The file extension a report is usually saved with (`reports/breakfix.xml`). */
export const REPORT_EXTENSIONS: Record<ReportFormat, string> = {
  json: '.json',
  junit: '.xml',
  tap: '.tap',
  text: '.txt',
};

/** One line for a terminal or a log: `wrong-port: 70/100, 1 of 2 checks passed`. */
export function summaryLine(report: GradeReport): string {
  const passed = report.checks.filter((check) => check.passed).length;
  const errored = report.checks.filter((check) => check.errored).length;
  return `${report.scenario}: ${report.passed ? 'passed' : 'not passed'}, score ${report.score}/${report.maxScore}, ${passed} of ${report.checks.length} checks passed${errored > 0 ? `, ${errored} errored` : ''}`;
}
