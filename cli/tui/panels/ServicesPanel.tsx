import type { ServiceView } from '../../../engine/index.js';
import { describePorts, describeServiceState, serviceVerdict, type ServiceVerdict } from '../../render/services.js';
import { MARK } from '../../render/style.js';
import { padEnd } from '../../render/text.js';
import { seg, type LineSegments, type Tone } from '../segments.js';
import { Panel } from './Panel.js';

const VERDICT: Record<ServiceVerdict, { mark: string; tone: Tone }> = {
  ok: { mark: MARK.passed, tone: 'ok' },
  bad: { mark: MARK.failed, tone: 'bad' },
  done: { mark: MARK.neutral, tone: 'dim' },
  pending: { mark: MARK.pending, tone: 'warn' },
};

export function serviceSegments(
  services: readonly ServiceView[],
  host: string,
  logService: string | undefined,
): LineSegments[] {
  if (services.length === 0) return [[seg('no containers yet', 'dim')]];
  const nameWidth = Math.max(...services.map((service) => service.name.length));
  const stateWidth = Math.max(...services.map((service) => describeServiceState(service).length));
  return services.map((service) => {
    const verdict = VERDICT[serviceVerdict(service)];
    const ports = describePorts(service, host);
    return [
      seg(service.name === logService ? '▸' : ' ', 'accent'),
      seg(verdict.mark, verdict.tone),
      seg(` ${padEnd(service.name, nameWidth)}  `),
      seg(padEnd(describeServiceState(service), stateWidth), verdict.tone === 'ok' ? undefined : verdict.tone),
      seg(`  ↻${service.restarts}`, service.restarts > 0 ? 'warn' : 'dim'),
      ...(ports ? [seg(`  ${ports}`, 'accent')] : []),
    ];
  });
}

export interface ServicesPanelProps {
  services: readonly ServiceView[];
  host: string;
  logService: string | undefined;
  release: number | undefined;
  width: number;
  maxLines: number;
}

export function ServicesPanel({ services, host, logService, release, width, maxLines }: ServicesPanelProps) {
  return (
    <Panel
      title="Services"
      aside={release ? [seg(`release ${release}`, 'dim')] : []}
      lines={serviceSegments(services, host, logService)}
      width={width}
      maxLines={maxLines}
    />
  );
}
