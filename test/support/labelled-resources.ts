/**
 * Docker resources carrying a breakfix label, for tests: "nothing labelled is left behind"
 * is an assertion of its own (Ryuk is off, so nobody else cleans up).
 */
import type Dockerode from 'dockerode';

export type ResourceKind = 'container' | 'network' | 'volume' | 'image';

export interface LabelledResource {
  kind: ResourceKind;
  id: string;
  name: string;
  labels: Record<string, string>;
}

/** Everything labelled `key` (or `key=value`): containers in any state, networks, volumes, images. */
export async function listLabelled(docker: Dockerode, key: string, value?: string): Promise<LabelledResource[]> {
  const filters = JSON.stringify({ label: [value === undefined ? key : `${key}=${value}`] });
  const [containers, networks, volumes, images] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
    docker.listImages({ filters }),
  ]);
  return [
    ...containers.map((c) => ({
      kind: 'container' as const,
      id: c.Id,
      name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
      labels: c.Labels ?? {},
    })),
    ...networks.map((n) => ({ kind: 'network' as const, id: n.Id, name: n.Name, labels: n.Labels ?? {} })),
    ...(volumes.Volumes ?? []).map((v) => ({
      kind: 'volume' as const,
      id: v.Name,
      name: v.Name,
      labels: v.Labels ?? {},
    })),
    ...images.map((i) => ({ kind: 'image' as const, id: i.Id, name: i.RepoTags?.[0] ?? i.Id, labels: i.Labels ?? {} })),
  ];
}

/** Removes in dependency order: containers (with their anonymous volumes), networks, volumes, images. */
export async function removeLabelled(docker: Dockerode, resources: readonly LabelledResource[]): Promise<string[]> {
  const failures: string[] = [];
  const order: ResourceKind[] = ['container', 'network', 'volume', 'image'];
  for (const kind of order) {
    for (const resource of resources.filter((r) => r.kind === kind)) {
      try {
        if (kind === 'container') await docker.getContainer(resource.id).remove({ force: true, v: true });
        else if (kind === 'network') await docker.getNetwork(resource.id).remove();
        else if (kind === 'volume') await docker.getVolume(resource.id).remove();
        else await docker.getImage(resource.id).remove({ force: true });
      } catch (error) {
        failures.push(`${kind} ${resource.name}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
  }
  return failures;
}

export function describeResource(resource: LabelledResource, labelKey: string): string {
  return `${resource.kind} ${resource.name} (${labelKey}=${resource.labels[labelKey] ?? '?'})`;
}
