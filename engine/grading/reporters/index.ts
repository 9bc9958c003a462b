/**
 * Grade reporters, one module per format behind one function: `renderReport(report, format)`.
 * Used by `breakfix grade --reporter`, `breakfix check`, and `POST /v1/grade` (by `Accept`).
 */
import type { GradeReport } from '../report.js';
import type { ReportFormat } from './formats.js';
import { renderJson } from './json.js';
import { renderJunit, type JunitOptions } from './junit.js';
import { renderTap } from './tap.js';
import { renderText, type TextOptions } from './text.js';

export type RenderOptions = TextOptions & JunitOptions;

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

export { reportJson, type ReportJson } from './json.js';
export { renderJunit } from './junit.js';
export { renderTap } from './tap.js';
export { renderText, useColor } from './text.js';
export { stripAnsi, xmlSafe } from './text-safety.js';
export {
  isReportFormat,
  REPORT_EXTENSIONS,
  REPORT_FORMATS,
  REPORT_MEDIA_TYPES,
  summaryLine,
  type ReportFormat,
} from './formats.js';
