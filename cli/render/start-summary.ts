/**
 * What `start` prints once the lab is up and broken: where the files are, what the learner was
 * told, what runs where, and what to do next.
 */
import path from 'node:path';
import type { ServiceView } from '../../engine/index.js';
import { describePorts, serviceLines } from './services.js';
import type { Style } from './style.js';
import { padEnd, plainMarkdown, wrap } from './text.js';

export interface StartSummary {
  scenarioId: string;
  title: string;
  briefing: string;
  workspace: string;
  sessionId: string;
  seed: number;
  services: ServiceView[];
  /** Where published ports answer. */
  host: string;
}

/** The service a learner looks at first: one in trouble, else one that publishes a port (the api), else the first. */
export function mainService(services: readonly ServiceView[]): ServiceView | undefined {
  const inTrouble = (service: ServiceView) =>
    service.status === 'restarting' ||
    service.health === 'unhealthy' ||
    (service.status === 'exited' && service.exitCode !== 0);
  return services.find(inTrouble) ?? services.find((service) => service.ports.length > 0) ?? services[0];
}

export function nextSteps(
  summary: Pick<StartSummary, 'workspace' | 'services' | 'host'>,
  cwd: string,
): Array<[string, string]> {
  const steps: Array<[string, string]> = [];
  if (path.resolve(cwd) !== summary.workspace)
    steps.push([`cd ${summary.workspace}`, 'the commands below find the lab from there']);
  const main = mainService(summary.services);
  if (main) steps.push([`breakfix logs ${main.name}`, `what ${main.name} says (add --follow to keep reading)`]);
  const port = main?.ports[0];
  if (main && port)
    steps.push([
      `curl -i http://${summary.host}:${port.host}/`,
      `reach ${main.name} (container port ${port.container})`,
    ]);
  steps.push(['breakfix status', 'services, health, last check, hints']);
  steps.push(['breakfix apply', 'redeploy after you edit the files']);
  steps.push(['breakfix check', 'grade the lab as it runs now']);
  steps.push(['breakfix watch', 'apply + check on every save']);
  steps.push(['breakfix hint', 'when you are stuck']);
  steps.push(['breakfix stop', 'remove the lab when you are done (your files stay)']);
  return steps;
}

export function startSummaryLines(
  summary: StartSummary,
  style: Style,
  options: { cwd: string; width: number },
): string[] {
  const width = Math.max(40, options.width) - 2;
  const lines = [
    style.bold(`${summary.title}`),
    `The lab is up, and something is wrong. Your job: find it, fix the files, apply.`,
    '',
  ];
  lines.push(`workspace  ${summary.workspace}`);
  lines.push(`session    ${summary.sessionId} (scenario ${summary.scenarioId}, seed ${summary.seed})`);
  lines.push('', style.bold('Briefing'));
  lines.push(...wrap(plainMarkdown(summary.briefing), width).map((line) => (line ? `  ${line}` : '')));
  if (summary.services.length > 0) {
    lines.push('', style.bold('Services'));
    lines.push(...serviceLines(summary.services, summary.host, style).map((line) => `  ${line}`));
  }
  const reachable = summary.services.filter((service) => service.ports.length > 0);
  if (reachable.length > 0) {
    lines.push('', style.bold('Published ports'));
    for (const service of reachable) lines.push(`  ${service.name}  ${describePorts(service, summary.host)}`);
  }
  const steps = nextSteps(summary, options.cwd);
  const commandWidth = Math.max(...steps.map(([command]) => command.length));
  lines.push('', style.bold('Next steps'));
  for (const [command, why] of steps) lines.push(`  ${padEnd(command, commandWidth)}   ${style.dim(why)}`);
  return lines;
}
