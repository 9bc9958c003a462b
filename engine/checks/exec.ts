import { z } from 'zod';
import { serviceParam } from '../params/service.js';
import { defineCheck, failed, passed } from './check.js';
import { excerpt, quote, regexSource } from './text-match.js';

/**
 * The command as a failure message names it: an inline script (an argument of several lines) is
 * shown as `…`, so the message a learner reads is one line — the script is the scenario's, and
 * the check's title says what it proves.
 */
export function shownCommand(command: readonly string[]): string {
  const shown = command.map((arg) => (arg.includes('\n') ? '…' : arg)).join(' ');
  return shown.length <= 160 ? shown : `${shown.slice(0, 159)}…`;
}

export const execCheck = defineCheck({
  type: 'exec',
  summary: "Run a command inside a service's running container and judge its exit code and output.",
  params: z.strictObject({
    service: serviceParam,
    command: z
      .union([z.string().min(1), z.array(z.string()).min(1)])
      .transform((value) => (typeof value === 'string' ? ['sh', '-c', value] : value)),
    user: z.string().optional(),
    expect: z
      .strictObject({
        exitCode: z.number().int().default(0),
        stdoutContains: z.string().optional(),
        stdoutMatches: regexSource.optional(),
        stdoutAbsent: z.string().optional(),
      })
      .default({ exitCode: 0 }),
  }),
  services: (params) => [params.service],
  async run(ctx, params) {
    const name = params.service;
    const container = ctx.service(name).container;
    const state = await ctx.runtime.inspectContainer(container);
    if (!state?.running)
      return failed(`${name}: expected a running container to exec in, got ${state ? state.status : 'none'}`);
    const shown = shownCommand(params.command);
    const result = await ctx.runtime.exec(container, params.command, {
      ...(params.user ? { user: params.user } : {}),
      // The entry's `timeout` governs (the runner aborts the attempt through the signal); the
      // cap only guards a runner without one. It was 10 s, which cut a longer `timeout` short.
      timeoutMs: 600_000,
      signal: ctx.signal,
    });
    const evidence = `exit ${result.exitCode}\n${excerpt(result.stdout)}${result.stderr.trim() ? `\nstderr: ${excerpt(result.stderr)}` : ''}`;
    const expect = params.expect;
    if (result.exitCode !== expect.exitCode)
      return failed(`${name} \`${shown}\`: expected exit code ${expect.exitCode}, got ${result.exitCode}`, evidence);
    if (expect.stdoutContains !== undefined && !result.stdout.includes(expect.stdoutContains)) {
      return failed(
        `${name} \`${shown}\`: expected output containing ${quote(expect.stdoutContains)}, got ${quote(excerpt(result.stdout, 120))}`,
        evidence,
      );
    }
    if (expect.stdoutMatches !== undefined && !new RegExp(expect.stdoutMatches, 'm').test(result.stdout)) {
      return failed(
        `${name} \`${shown}\`: expected output matching /${expect.stdoutMatches}/, got ${quote(excerpt(result.stdout, 120))}`,
        evidence,
      );
    }
    if (expect.stdoutAbsent !== undefined && result.stdout.includes(expect.stdoutAbsent)) {
      return failed(`${name} \`${shown}\`: expected output without ${quote(expect.stdoutAbsent)}, got it`, evidence);
    }
    return passed(`${name} \`${shown}\` exited ${result.exitCode}`, evidence);
  },
});
