import type { Scenario } from '../scenario/instantiate.js';

/**
 * Whether `verify` proves the scenario with no other scenario beside it: a `load` check times
 * the lab's answers (latency, request timeouts), and another lab's CPU use changes that time.
 * On two cores, hosted-cpu-starved's reference fix measured p95 1.8–2.3 s (bound 1.5 s) beside
 * hosted-db-volume-full, and well inside it alone. Its own fix lanes still run beside it: its
 * figures were taken with them.
 */
export function provenAlone(scenario: Pick<Scenario, 'checks'>): boolean {
  return scenario.checks.some((check) => check.type === 'load');
}
