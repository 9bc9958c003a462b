/**
 * A service's published host ports stay what they were when its container is recreated (an
 * apply or a rollback that changes it): compose.yaml's `ports: ["8080"]` asks Docker for any
 * free port, and a new one on every apply breaks the learner's last `curl`. A port compose.yaml
 * pins (`"18080:8080"`) is left as written.
 */
import type { ContainerSpec, PublishedPort } from '../runtime/runtime.js';

export function keepHostPorts(
  wanted: ContainerSpec['ports'],
  published: readonly PublishedPort[],
): ContainerSpec['ports'] {
  return wanted.map((port) => {
    if (port.host !== undefined) return port;
    const before = published.find(
      (entry) => entry.container === port.container && entry.protocol === port.protocol && entry.host > 0,
    );
    return before ? { ...port, host: before.host } : port;
  });
}
