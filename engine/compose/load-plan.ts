import { workspaceError } from '../errors.js';
import { formatComposeIssue, loadCompose } from './index.js';
import type { DeployPlan } from './plan.js';

/** The deploy plan of a folder, or a workspace error listing every problem as `file:line:col: message`. */
export async function loadComposePlan(dir: string, options: { projectName?: string } = {}): Promise<DeployPlan> {
  const result = await loadCompose(dir, options);
  if (result.ok) return result.plan;
  throw workspaceError(
    `compose.yaml cannot be deployed:\n${result.errors.map((issue) => `  ${formatComposeIssue(issue)}`).join('\n')}`,
    'fix the file, then run `breakfix apply`',
  );
}
