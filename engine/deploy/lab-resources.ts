/**
 * The networks and volumes a lab's services need, before any service starts: the `default`
 * network and the declared ones (internal or not), the named volumes with their driver options.
 * Docker cannot change a volume's options in place, so a volume whose options changed in
 * compose.yaml is recreated — the containers using it are removed first, and its data is gone,
 * as with `docker compose up` when it is told to recreate it. Such volumes are tmpfs volumes,
 * whose data does not outlive their containers anyway.
 */
import type { DeployPlan } from '../compose/plan.js';
import { LABELS } from '../runtime/labels.js';
import type { Runtime } from '../runtime/runtime.js';
import { labLabels, labNetworkName, volumeName, type Lab } from './lab.js';
import type { ProgressListener } from './progress.js';

const sameOptions = (a: Record<string, string>, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

export async function prepareLabResources(
  lab: Lab,
  plan: DeployPlan,
  runtime: Runtime,
  onProgress?: ProgressListener,
): Promise<void> {
  const networks = [['default', { internal: false }] as const, ...Object.entries(plan.networks ?? {})];
  await Promise.all(
    networks.map(([name, network]) =>
      runtime.createNetwork(labNetworkName(lab, name), labLabels(lab), { internal: network.internal }),
    ),
  );
  await Promise.all(
    plan.volumes.map(async (volume) => {
      const name = volumeName(lab, volume);
      const wanted = plan.volumeDrivers?.[volume] ?? {};
      const existing = await runtime.inspectVolume(name);
      if (existing && !sameOptions(existing.driverOpts, wanted)) {
        const containers = (await runtime.listLabelled(LABELS.session, lab.sessionId)).filter(
          (resource) => resource.kind === 'container',
        );
        for (const container of containers) {
          const state = await runtime.inspectContainer(container.id);
          if (!state?.mounts.some((mount) => mount.volume === name)) continue;
          await runtime.removeContainer(container.id);
          onProgress?.({
            phase: 'service',
            service: container.labels[LABELS.service] ?? container.name,
            status: 'removed',
            detail: `volume ${volume} is recreated with its new options; its data is gone`,
          });
        }
        await runtime.removeResource({ kind: 'volume', id: name, name, labels: existing.labels });
      }
      await runtime.createVolume(name, labLabels(lab), Object.keys(wanted).length > 0 ? wanted : undefined);
    }),
  );
}
