/**
 * Grade reporters, one module per format behind one function: `renderReport(report, format)`.
 * Used by `breakfix grade --reporter`, `breakfix check`, and `POST /v1/grade` (by `Accept`).
 */
import type { GradeReport } from '../report.js';
import { renderJson } from './json.js';
import { renderJunit, type JunitOptions } from './junit.js';
import { renderTap } from './tap.js';
import { renderText, type TextOptions } from './text.js';

export const REPORT_FORMATS = ['text', 'json', 'junit', 'tap'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export type RenderOptions = TextOptions & JunitOptions;

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
export const REPORT_EXTENSIONS: Record<ReportFormat, string> = { json: '.json', junit: '.xml', tap: '.tap', text: '.txt' };

export function renderReport(report: GradeReport, format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'junit':
      return renderJunit(report, options);
    case 'tap':
      return renderTap(report);
    case 'text':
      return renderText(report, options);
  }
}

/** One line for a terminal or a log: `wrong-port: 70/100, 1 of 2 checks passed`. */
export function summaryLine(report: GradeReport): string {
  const passed = report.checks.filter((check) => check.passed).length;
  const errored = report.checks.filter((check) => check.errored).length;
  return `${report.scenario}: ${report.passed ? 'passed' : 'not passed'}, score ${report.score}/${report.maxScore}, ${passed} of ${report.checks.length} checks passed${errored > 0 ? `, ${errored} errored` : ''}`;
}

export { reportJson, type ReportJson } from './json.js';
export { renderJunit } from './junit.js';
export { renderTap } from './tap.js';
export { renderText, useColor } from './text.js';
export { stripAnsi, xmlSafe } from './text-safety.js';
