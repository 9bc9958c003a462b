/**
 * A lab's services as the learner needs to see them: is it up, is it healthy, does it keep
 * restarting, where can I reach it.
 */
import type { ServiceView } from '../../engine/index.js';
import { MARK, type Style } from './style.js';
import { padEnd } from './text.js';

export type ServiceVerdict = 'ok' | 'bad' | 'done' | 'pending';

/** A one-shot job that exited 0 (migrate) is done, not down. */
export function serviceVerdict(service: Pick<ServiceView, 'status' | 'health' | 'exitCode'>): ServiceVerdict {
  if (service.status === 'running') {
    if (service.health === 'unhealthy') return 'bad';
    if (service.health === 'starting') return 'pending';
    return 'ok';
  }
  if (service.status === 'exited' && service.exitCode === 0) return 'done';
  // No container (yet, or any more): nothing to judge.
  if (service.status === 'absent') return 'done';
  return 'bad';
}

export function verdictMark(verdict: ServiceVerdict, style: Style): string {
  switch (verdict) {
    case 'ok':
      return style.ok(MARK.passed);
    case 'bad':
      return style.bad(MARK.failed);
    case 'done':
      return style.dim(MARK.neutral);
    case 'pending':
      return style.warn(MARK.pending);
  }
}

/** `running unhealthy`, `exited (1)`, `restarting`… */
export function describeServiceState(service: Pick<ServiceView, 'status' | 'health' | 'exitCode'>): string {
  if (service.status === 'exited' || service.status === 'dead') return `${service.status} (${service.exitCode})`;
  if (service.status === 'absent') return 'not created';
  if (service.status === 'running' && service.health !== 'none') return `running ${service.health}`;
  return service.status;
}

/** `127.0.0.1:49153→8080`, the published ports of a service. */
export function describePorts(service: Pick<ServiceView, 'ports'>, host: string): string {
  return service.ports
    .map((port) => `${host}:${port.host}→${port.container}${port.protocol === 'udp' ? '/udp' : ''}`)
    .join(' ');
}

export function serviceLines(services: readonly ServiceView[], host: string, style: Style): string[] {
  const nameWidth = Math.max(4, ...services.map((service) => service.name.length));
  const stateWidth = Math.max(...services.map((service) => describeServiceState(service).length), 5);
  return services.map((service) => {
    const restarts = service.restarts > 0 ? style.warn(`restarts ${service.restarts}`) : `restarts 0`;
    const ports = describePorts(service, host);
    return `${verdictMark(serviceVerdict(service), style)} ${padEnd(service.name, nameWidth)}  ${padEnd(describeServiceState(service), stateWidth)}  ${restarts}${ports ? `  ${ports}` : ''}`;
  });
}
