import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { resolveInWorkspace, workspacePathSchema } from '../util/workspace-path.js';
import { defineCheck, failed, passed } from './check.js';
import { quote, regexSource, stringOrList } from './text-match.js';

export const fileCheck = defineCheck({
  type: 'file',
  summary:
    'Inspect a workspace file: exists, contains, matches (e.g. .gitignore lists .env, a runbook has a Rollback section).',
  params: z.strictObject({
    path: workspacePathSchema,
    expect: z.strictObject({
      exists: z.boolean().optional(),
      contains: stringOrList.optional(),
      absent: stringOrList.optional(),
      matches: regexSource.optional(),
    }),
  }),
  async run(ctx, params) {
    const absolute = resolveInWorkspace(ctx.lab.workspace, params.path);
    const info = await stat(absolute).catch(() => undefined);
    const expect = params.expect;
    if (expect.exists === false) {
      return info
        ? failed(`${params.path}: expected not to exist, got a file`)
        : passed(`${params.path} does not exist`);
    }
    if (!info?.isFile()) return failed(`${params.path}: expected a file, got ${info ? 'a folder' : 'nothing'}`);
    const text = await readFile(absolute, 'utf8');
    // Workspace files may hold secrets (.env); evidence says where, never what the file says.
    const lineOf = (index: number) => text.slice(0, index).split('\n').length;
    const lineCount = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    const evidence = `${lineCount} lines, ${info.size} bytes`;
    for (const needle of expect.contains ?? [])
      if (!text.includes(needle))
        return failed(`${params.path}: expected to contain ${quote(needle)}, got no such text`, evidence);
    for (const needle of expect.absent ?? [])
      if (text.includes(needle))
        return failed(
          `${params.path}: expected no ${quote(needle)}, got it on line ${lineOf(text.indexOf(needle))}`,
          evidence,
        );
    if (expect.matches !== undefined && !new RegExp(expect.matches, 'm').test(text))
      return failed(`${params.path}: expected to match /${expect.matches}/, got no match`, evidence);
    return passed(`${params.path}: as expected`, evidence);
  },
});
