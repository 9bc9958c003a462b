/**
 * The markdown check on real files in a temporary workspace: sections found the way a reader
 * sees them (ATX and setext headings, not a "#" line inside a code fence), words counted without
 * template placeholders, mentions required per section, and messages that say what is missing
 * without naming the mentions (they are often the incident's cause).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckContext } from '../../engine/checks/check.js';
import { countWords, markdownCheck, markdownSections } from '../../engine/checks/markdown.js';
import type { Runtime } from '../../engine/runtime/runtime.js';

const workspace = mkdtempSync(path.join(os.tmpdir(), 'bf-markdown-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const ctx: CheckContext = {
  lab: { sessionId: 'unit01', scenarioId: 'markdown', workspace },
  runtime: {} as Runtime,
  host: '127.0.0.1',
  since: { session: new Date(0), apply: new Date(0) },
  service: (name) => ({ container: `bf-unit01-${name}`, image: `bf-unit01/${name}:latest` }),
  signal: new AbortController().signal,
};

const RUNBOOK_SECTIONS = {
  sections: [
    { heading: 'symptom', minWords: 5 },
    { heading: 'cause', minWords: 5, mentions: ['DB_NAME', 'mem_limit|memory'] },
    { heading: 'roll(ing)? ?back', minWords: 5 },
  ],
};

async function judge(text: string | undefined, expect = RUNBOOK_SECTIONS, file = 'runbook.md') {
  if (text !== undefined) writeFileSync(path.join(workspace, file), text);
  return markdownCheck.run(ctx, markdownCheck.params.parse({ path: file, expect }));
}

describe('markdownSections', () => {
  it('finds ATX and setext headings, each section up to the next heading of its level or above', () => {
    const sections = markdownSections(
      [
        'Intro text is in no section.',
        '',
        '# Incident',
        'Top words.',
        '## Symptoms',
        'Edge answered 503.',
        '',
        'Cause',
        '-----',
        'DB_NAME changed.',
        '### Details',
        'More detail.',
        '## Roll back',
        '```sh',
        '# not a heading',
        'git revert HEAD',
        '```',
      ].join('\n'),
    );
    expect(sections.map((section) => [section.heading, section.depth])).toEqual([
      ['Incident', 1],
      ['Symptoms', 2],
      ['Cause', 2],
      ['Details', 3],
      ['Roll back', 2],
    ]);
    const cause = sections.find((section) => section.heading === 'Cause');
    expect(cause?.text).toContain('DB_NAME changed.');
    expect(cause?.text).toContain('More detail.');
    expect(cause?.text).not.toContain('git revert');
    expect(sections.find((section) => section.heading === 'Roll back')?.text).toContain('# not a heading');
  });

  it('counts words, not template placeholders', () => {
    expect(countWords('TODO TBD … lorem ipsum')).toBe(0);
    expect(countWords('Reverted commit 3f2a1c0 and ran `breakfix apply` at 17:55.')).toBe(9);
  });
});

describe('markdown check', () => {
  const good = [
    '# Runbook',
    '## Symptoms',
    'Every order through the edge failed with 503 errors.',
    '## Root cause',
    'The push set DB_NAME to a missing database and cut memory to 8m.',
    '## Rolling back',
    'Revert the configuration commit with git and apply it again.',
  ].join('\n');

  it('passes a document whose every section is there, long enough, with its mentions', async () => {
    const outcome = await judge(good);
    expect(outcome.status).toBe('passed');
    expect(outcome.message).toBe('runbook.md: 3 sections as expected');
  });

  it('fails a missing file or a folder', async () => {
    const missing = await judge(undefined, RUNBOOK_SECTIONS, 'nowhere.md');
    expect(missing.message).toBe('nowhere.md: expected a file, got nothing');
    const folder = await judge(undefined, RUNBOOK_SECTIONS, '.');
    expect(folder.message).toBe('.: expected a file, got a folder');
  });

  it('names every missing or short section, and how many mentions are missing without naming them', async () => {
    const outcome = await judge(
      ['## Symptoms', 'TODO', '## Cause', 'A configuration value changed in the push, nothing more to say.'].join('\n'),
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toBe(
      'runbook.md: the section under /symptom/ holds 0 words, expected at least 5; the section under /cause/ names 0 of the 2 things it must; no section whose heading matches /roll(ing)? ?back/',
    );
    expect(outcome.message).not.toContain('DB_NAME');
    expect(outcome.evidence).toBe('2 headings');
  });

  it('judges the fullest of several matching sections, and only headings count', async () => {
    const outcome = await judge(
      [
        good,
        '## Rollback drill',
        'TBD',
        '```',
        '## Cause',
        '```',
        'Symptoms and cause written as plain text are not sections.',
      ].join('\n'),
    );
    expect(outcome.status).toBe('passed');
  });

  it('refuses a bad heading pattern when the scenario is loaded, not when the check runs', () => {
    const parsed = markdownCheck.params.safeParse({ path: 'runbook.md', expect: { sections: [{ heading: '(' }] } });
    expect(parsed.success).toBe(false);
  });
});
