/** Label keys on everything breakfix creates; `gc` and every teardown path sweep by them. */
export const LABELS = {
  session: 'breakfix.session',
  scenario: 'breakfix.scenario',
  managed: 'breakfix.managed',
  service: 'breakfix.service',
  recipe: 'breakfix.recipe',
  version: 'breakfix.version',
  fault: 'breakfix.fault',
  configHash: 'breakfix.config-hash',
  release: 'breakfix.release',
  /** The services a container's service depends on (comma-separated): teardown stops dependents first. */
  dependsOn: 'breakfix.depends-on',
  /** Where the owning session lives; `gc` asks that workspace whether the session is still live. */
  workspace: 'breakfix.workspace',
} as const;
