/**
 * A Markdown document the learner writes (a runbook, a postmortem) judged by its sections: each
 * named section is there, says something (a minimum of words, placeholders not counted), and
 * mentions what it must (e.g. the setting that caused the incident). Text is the deliverable
 * here, so text is what is checked.
 *
 * The document is read with `marked`'s lexer rather than line patterns: a "# Rollback" inside a
 * code fence is not a heading, setext headings (underlined) are, and a section ends at the next
 * heading of its level or above, as a reader sees it.
 */
import { readFile, stat } from 'node:fs/promises';
import { Lexer, type Token } from 'marked';
import { z } from 'zod';
import { resolveInWorkspace, workspacePathSchema } from '../util/workspace-path.js';
import { defineCheck, failed, passed } from './check.js';
import { regexSource } from './text-match.js';

const sectionSchema = z.strictObject({
  heading: regexSource.meta({
    description: 'Pattern the section heading must match (case-insensitive), e.g. `rollback|roll back`.',
  }),
  minWords: z
    .number()
    .int()
    .min(0)
    .default(10)
    .meta({ description: 'Words the section must hold below its heading (placeholders such as TODO do not count).' }),
  mentions: z
    .union([regexSource, z.array(regexSource).min(1)])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .optional()
    .meta({
      description: 'Patterns the section text must each match (case-insensitive), e.g. the setting at fault.',
    }),
});

/** A heading and the text below it, up to the next heading of its level or above. */
export interface MarkdownSection {
  heading: string;
  depth: number;
  text: string;
}

/** Words a reader would count as content: placeholders left from a template are not. */
const PLACEHOLDER = /^(todo|tbd|tbc|fixme|xxx|lorem|ipsum|dolor|sit|amet|placeholder|n\/a|\.\.\.|…)$/i;

export function countWords(text: string): number {
  return (text.match(/[\p{L}\p{N}][\p{L}\p{N}_'’./:-]*/gu) ?? []).filter((word) => !PLACEHOLDER.test(word)).length;
}

/** The sections of a Markdown document, in order (text before the first heading is not one). */
export function markdownSections(source: string): MarkdownSection[] {
  const tokens: Token[] = new Lexer().lex(source);
  const sections: Array<MarkdownSection & { parts: string[] }> = [];
  const open: Array<MarkdownSection & { parts: string[] }> = [];
  for (const token of tokens) {
    if (token.type === 'heading') {
      const depth = (token as { depth: number }).depth;
      // A heading closes the sections of its level and below; the ones above it go on holding it.
      while (open.length > 0 && (open.at(-1)?.depth ?? 0) >= depth) open.pop();
      const section = { heading: (token as { text: string }).text.trim(), depth, text: '', parts: [] };
      for (const parent of open) parent.parts.push(section.heading);
      sections.push(section);
      open.push(section);
      continue;
    }
    for (const section of open) section.parts.push(token.raw);
  }
  return sections.map(({ parts, ...section }) => ({ ...section, text: parts.join('') }));
}

export const markdownCheck = defineCheck({
  type: 'markdown',
  summary:
    'Judge a Markdown document the learner writes by its sections: each heading present, with enough words and the mentions it must make (a runbook).',
  params: z.strictObject({
    path: workspacePathSchema,
    expect: z.strictObject({
      sections: z.array(sectionSchema).min(1),
    }),
  }),
  async run(ctx, params) {
    const absolute = resolveInWorkspace(ctx.lab.workspace, params.path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isFile()) return failed(`${params.path}: expected a file, got ${info ? 'a folder' : 'nothing'}`);
    const sections = markdownSections(await readFile(absolute, 'utf8'));
    // Counts, not the learner's headings: verify's leak scan would read a heading the reference
    // runbook has as a value handed out.
    const evidence = `${sections.length} headings`;
    const problems: string[] = [];
    for (const wanted of params.expect.sections) {
      const pattern = new RegExp(wanted.heading, 'i');
      const candidates = sections.filter((section) => pattern.test(section.heading));
      if (candidates.length === 0) {
        problems.push(`no section whose heading matches /${wanted.heading}/`);
        continue;
      }
      // Several headings may match (e.g. "Rollback" and "Rollback drill"): the fullest one is judged.
      const section = candidates.reduce((best, next) => (countWords(next.text) > countWords(best.text) ? next : best));
      const words = countWords(section.text);
      if (words < wanted.minWords) {
        problems.push(
          `the section under /${wanted.heading}/ holds ${words} words, expected at least ${wanted.minWords}`,
        );
        continue;
      }
      const mentions = wanted.mentions ?? [];
      const missing = mentions.filter((mention) => !new RegExp(mention, 'i').test(section.text));
      // How many, not which: the mentions are often the incident's cause, which the learner finds.
      if (missing.length > 0)
        problems.push(
          `the section under /${wanted.heading}/ names ${mentions.length - missing.length} of the ${mentions.length} things it must`,
        );
    }
    if (problems.length > 0) return failed(`${params.path}: ${problems.join('; ')}`, evidence);
    return passed(`${params.path}: ${params.expect.sections.length} sections as expected`, evidence);
  },
});
