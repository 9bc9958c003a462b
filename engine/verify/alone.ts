import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Scenario } from '../scenario/instantiate.js';
import { yamlParse } from '../scenario/list.js';

/**
 * A lab of this many services fills two cores by itself while it is verified: its main lab, the
 * solution's paper lab and two fix lanes run at once (hosted-app: six services each, PostgreSQL
 * and nginx among them, so 24 containers). Two such scenarios side by side starve each other:
 * in the rehearsal of 3a92a46, `verify --all --jobs 2` took 3049 s where the scenarios' own
 * proofs, each measured alone, sum to about 1850 s over two lanes (hosted scenarios 130–270 s
 * each alone); one probe ran out of its 5 s.
 */
export const HEAVY_LAB_SERVICES = 5;

export type AloneReason = 'load' | 'heavy-lab';

/**
 * Why `verify` proves the scenario with no other scenario beside it, or undefined when it may
 * share the lanes:
 * - `load`: a load check times the lab's answers (latency, request timeouts), and another
 *   lab's CPU use changes that time. On two cores, hosted-cpu-starved's reference fix measured
 *   p95 1.8–2.3 s (bound 1.5 s) beside hosted-db-volume-full, and well inside it alone.
 * - `heavy-lab`: its lab has HEAVY_LAB_SERVICES services or more (above).
 * Its own fix lanes still run beside it: its figures were taken with them.
 */
export function provenAloneReason(scenario: Pick<Scenario, 'checks' | 'labDir'>): AloneReason | undefined {
  if (scenario.checks.some((check) => check.type === 'load')) return 'load';
  return labServiceCount(scenario.labDir) >= HEAVY_LAB_SERVICES ? 'heavy-lab' : undefined;
}

/** The services of the lab's compose.yaml as shipped; 0 when it cannot be read (start reports that). */
function labServiceCount(labDir: string): number {
  try {
    const document: unknown = yamlParse(readFileSync(path.join(labDir, 'compose.yaml'), 'utf8'));
    const services = (document as { services?: unknown } | null)?.services;
    return services && typeof services === 'object' ? Object.keys(services).length : 0;
  } catch {
    return 0;
  }
}
