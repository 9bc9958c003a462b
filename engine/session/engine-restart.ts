/**
 * The Docker engine restarted under a lab: dockerd stops every container when it stops, and
 * at its next start brings back only those with a restart policy (`unless-stopped`, `always`),
 * in no particular order — a database may come back after the api that needs it, a one-shot
 * migration never runs again. `status` says so, so that the learner does not debug a lab the
 * engine broke; `apply` brings it back to its release.
 */
export interface EngineRestart {
  /** When the engine started again (EngineInfo.bootedAt). */
  at: string;
  /** When the engine had started as of the lab's last deploy. */
  deployedOn: string;
  message: string;
}

const clock = (iso: string) => new Date(iso).toISOString().slice(11, 19);

/** Undefined when the engine is the one the lab was last deployed on (or either time is unknown). */
export function engineRestart(
  deployedOn: string | undefined,
  bootedAt: string | undefined,
  services: ReadonlyArray<{ name: string; status: string; health: string }>,
): EngineRestart | undefined {
  if (!deployedOn || !bootedAt || Date.parse(bootedAt) <= Date.parse(deployedOn)) return undefined;
  const up = services.filter((service) => service.status === 'running' && service.health !== 'unhealthy');
  const down = services.filter((service) => !up.includes(service));
  const parts = [
    `the Docker engine restarted at ${clock(bootedAt)} UTC, after the lab's last deploy: it stopped every container`,
    up.length > 0 ? `${up.map((service) => service.name).join(', ')} came back (restart policy)` : undefined,
    down.length > 0
      ? `${down.map((service) => `${service.name} is ${service.health === 'unhealthy' ? 'unhealthy' : service.status}`).join(', ')}`
      : undefined,
  ].filter((part): part is string => part !== undefined);
  return {
    at: bootedAt,
    deployedOn,
    message: `${parts.join('; ')}. \`breakfix apply\` brings the lab back to its release.`,
  };
}
