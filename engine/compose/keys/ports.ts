/** `ports`: published on 127.0.0.1 only, one port per entry (short or long syntax). */
import { isDict } from '../../source/dict.js';
import type { PathSegment } from '../../source/yaml-source.js';
import type { PlanContext } from '../context.js';
import type { PortPlan } from '../plan.js';
import { portNumber } from '../values.js';
import type { ServiceKey } from './service-key.js';

export const portsKey: ServiceKey = {
  keys: ['ports'],
  build({ raw, at, ctx }) {
    const ports: PortPlan[] = [];
    if (Array.isArray(raw.ports)) {
      raw.ports.forEach((entry, index) => {
        const port = parsePort(entry, [...at, 'ports', index], ctx);
        if (port) ports.push(port);
      });
    }
    return { ports };
  },
};

function parsePort(raw: unknown, at: PathSegment[], ctx: PlanContext): PortPlan | undefined {
  const loopbackOnly = (ip: string, where: PathSegment[]) => {
    if (ip === '' || ip === '127.0.0.1' || ip === 'localhost') return true;
    ctx.out.error(
      where,
      `host IP ${ip} is not allowed: breakfix publishes ports on 127.0.0.1 only, so a lab is never reachable from the network (write "127.0.0.1:HOST:CONTAINER" or "HOST:CONTAINER")`,
    );
    return false;
  };
  const protocolOf = (text: string, where: PathSegment[]): 'tcp' | 'udp' | undefined => {
    const protocol = text.toLowerCase();
    if (protocol === 'tcp' || protocol === 'udp') return protocol;
    ctx.out.error(where, `protocol ${JSON.stringify(text)} is not supported (tcp or udp)`);
    return undefined;
  };
  if (typeof raw === 'number') {
    const container = portNumber(String(raw));
    if (container === undefined) ctx.out.error(at, `expected a port number between 1 and 65535, got ${raw}`);
    return container === undefined ? undefined : { container, protocol: 'tcp' };
  }
  if (typeof raw === 'string') {
    const [spec = '', protocolText, ...extra] = raw.split('/');
    if (extra.length > 0) {
      ctx.out.error(at, `expected [HOST_IP:][HOST:]CONTAINER[/PROTOCOL], got ${JSON.stringify(raw)}`);
      return undefined;
    }
    const protocol = protocolText === undefined ? 'tcp' : protocolOf(protocolText, at);
    if (!protocol) return undefined;
    let ip = '';
    let rest = spec;
    const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(spec);
    if (bracketed) {
      ip = bracketed[1] ?? '';
      rest = bracketed[2] ?? '';
    }
    const parts = rest.split(':');
    if (!bracketed && parts.length === 3) ip = parts.shift() ?? '';
    if (parts.length > 2 || (bracketed && parts.length !== 2)) {
      ctx.out.error(at, `expected [HOST_IP:][HOST:]CONTAINER[/PROTOCOL], got ${JSON.stringify(raw)}`);
      return undefined;
    }
    if (!loopbackOnly(ip, at)) return undefined;
    const containerText = parts.at(-1) ?? '';
    const hostText = parts.length === 2 ? (parts[0] ?? '') : '';
    if (containerText.includes('-') || hostText.includes('-')) {
      ctx.out.error(at, `port ranges are not supported: publish one port per entry, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    const container = portNumber(containerText);
    const host = hostText === '' ? undefined : portNumber(hostText);
    if (container === undefined || (hostText !== '' && host === undefined)) {
      ctx.out.error(at, `expected port numbers between 1 and 65535, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return { container, ...(host !== undefined ? { host } : {}), protocol };
  }
  if (isDict(raw)) {
    if (raw.target === undefined) {
      ctx.out.error(at, 'missing required key `target` (the container port)', 'key');
      return undefined;
    }
    const container = portNumber(String(raw.target));
    if (container === undefined) {
      ctx.out.error([...at, 'target'], `expected a port number between 1 and 65535, got ${JSON.stringify(raw.target)}`);
      return undefined;
    }
    if (typeof raw.host_ip === 'string' && !loopbackOnly(raw.host_ip, [...at, 'host_ip'])) return undefined;
    const protocol = typeof raw.protocol === 'string' ? protocolOf(raw.protocol, [...at, 'protocol']) : 'tcp';
    if (!protocol) return undefined;
    const publishedText = raw.published === undefined || raw.published === null ? '' : String(raw.published);
    if (publishedText.includes('-')) {
      ctx.out.error([...at, 'published'], `port ranges are not supported, got ${JSON.stringify(publishedText)}`);
      return undefined;
    }
    const host = publishedText === '' ? undefined : portNumber(publishedText);
    if (publishedText !== '' && host === undefined) {
      ctx.out.error(
        [...at, 'published'],
        `expected a port number between 1 and 65535, got ${JSON.stringify(raw.published)}`,
      );
      return undefined;
    }
    return { container, ...(host !== undefined ? { host } : {}), protocol };
  }
  return undefined;
}
