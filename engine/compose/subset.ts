/**
 * The subset: keys the Compose Specification allows but breakfix does not deploy are refused,
 * each with the reason and the keys that are supported in that place (docs/compose-subset.md).
 */
import { isDict, type Dict } from '../source/dict.js';
import type { IssueCollector } from '../source/issues.js';
import { didYouMean } from '../source/suggest.js';
import type { PathSegment } from '../source/yaml-source.js';
import { serviceKeys } from './keys/registry.js';
import { specKeys } from './spec.js';

/** The keys breakfix deploys, per place in the file. Everything else the spec allows is refused. */
export const SUPPORTED_KEYS = {
  top: ['name', 'services', 'volumes', 'secrets', 'networks'],
  /** Read by the builders in engine/compose/keys/. */
  service: serviceKeys.flatMap((key) => key.keys),
  build: ['context', 'dockerfile', 'args', 'target'],
  healthcheck: ['test', 'interval', 'timeout', 'retries', 'start_period', 'disable'],
  logging: ['driver', 'options'],
  port: ['target', 'published', 'host_ip', 'protocol'],
  secret: ['file'],
  serviceSecret: ['source', 'target'],
  volume: ['driver_opts'],
  network: ['internal'],
  serviceNetwork: ['aliases'],
  serviceVolume: ['type', 'source', 'target', 'read_only'],
  dependsOn: ['condition'],
  envFile: ['path', 'required'],
} as const satisfies Record<string, readonly string[]>;

export type Place = keyof typeof SUPPORTED_KEYS;

export const ALL_SUPPORTED = new Set<string>(Object.values(SUPPORTED_KEYS).flat());

const NO_PRIVILEGES = 'lab containers never get extra privileges or host namespaces';
/** Why a key is refused, when there is more to say than "not supported". */
const REASONS: Partial<Record<Place, Record<string, string>>> = {
  top: {
    configs: 'use a secret (file) or a file built into the image',
    include: 'keep the whole lab in one compose file',
    models: 'labs run no AI models',
  },
  service: {
    container_name: 'breakfix names containers bf-<session>-<service> so that labs never clash',
    deploy: 'breakfix runs one container per service; use mem_limit and cpus for its limits',
    scale: 'breakfix runs one container per service',
    extends: 'keep each service complete in the one compose file',
    configs: 'use a secret (file) or a file built into the image',
    privileged: NO_PRIVILEGES,
    cap_add: NO_PRIVILEGES,
    devices: NO_PRIVILEGES,
    network_mode: NO_PRIVILEGES,
    pid: NO_PRIVILEGES,
    ipc: NO_PRIVILEGES,
    userns_mode: NO_PRIVILEGES,
    use_api_socket: 'lab containers never get the Docker socket',
    expose: 'services of a lab reach each other on every port already; use ports to publish one on 127.0.0.1',
  },
  secret: {
    environment: 'only file secrets are supported',
    external: 'every lab resource is created by breakfix',
    name: 'breakfix names secrets itself',
  },
  volume: {
    driver: 'named volumes use the default local driver',
    external: 'every lab resource is created by breakfix',
    name: 'breakfix names volumes bf-<session>-<volume> so that labs never clash',
  },
  healthcheck: { start_interval: 'the probe runs every `interval`' },
  network: {
    driver: 'lab networks are bridge networks',
    driver_opts: 'lab networks are bridge networks',
    ipam: 'breakfix lets Docker choose the subnets, so that labs never clash',
    external: 'every lab resource is created by breakfix',
    name: 'breakfix names networks bf-<session>-net-<name> so that labs never clash',
    attachable: "only the lab's services join its networks",
    enable_ipv4: 'lab networks are IPv4 bridge networks',
    enable_ipv6: 'lab networks are IPv4 bridge networks',
  },
  serviceNetwork: {
    ipv4_address: 'Docker chooses the addresses; services reach each other by name',
    ipv6_address: 'Docker chooses the addresses; services reach each other by name',
    mac_address: 'Docker chooses the addresses; services reach each other by name',
    link_local_ips: 'Docker chooses the addresses; services reach each other by name',
  },
};

function checkKeys(value: unknown, at: PathSegment[], place: Place, out: IssueCollector): void {
  if (!isDict(value)) return;
  const supported: readonly string[] = SUPPORTED_KEYS[place];
  const known = new Set(specKeys(place));
  for (const key of Object.keys(value)) {
    if (key.startsWith('x-') || supported.includes(key)) continue;
    // Keys the spec does not know were reported by the schema validation already.
    if (!known.has(key)) continue;
    if (place === 'top' && key === 'version') {
      out.warn([key], '`version` is obsolete and ignored', 'key');
      continue;
    }
    const reason = REASONS[place]?.[key];
    const list = supported.length > 0 ? ` (supported keys: ${supported.join(', ')})` : ' (no keys are supported here)';
    out.error(
      [...at, key],
      `not supported by breakfix${list}${reason ? `; ${reason}` : ''}${didYouMean(key, supported)}`,
      'key',
    );
  }
}

export function checkSubset(data: Dict, out: IssueCollector): void {
  checkKeys(data, [], 'top', out);
  if (isDict(data.secrets))
    for (const [name, secret] of Object.entries(data.secrets)) checkKeys(secret, ['secrets', name], 'secret', out);
  if (isDict(data.volumes))
    for (const [name, volume] of Object.entries(data.volumes)) checkKeys(volume, ['volumes', name], 'volume', out);
  if (isDict(data.networks))
    for (const [name, network] of Object.entries(data.networks)) checkKeys(network, ['networks', name], 'network', out);
  if (!isDict(data.services)) return;
  for (const [name, service] of Object.entries(data.services)) {
    if (!isDict(service)) continue;
    const at: PathSegment[] = ['services', name];
    checkKeys(service, at, 'service', out);
    checkKeys(service.build, [...at, 'build'], 'build', out);
    checkKeys(service.healthcheck, [...at, 'healthcheck'], 'healthcheck', out);
    checkKeys(service.logging, [...at, 'logging'], 'logging', out);
    const eachItem = (list: unknown, key: string, place: Place) => {
      if (Array.isArray(list)) list.forEach((item, index) => checkKeys(item, [...at, key, index], place, out));
    };
    eachItem(service.ports, 'ports', 'port');
    eachItem(service.secrets, 'secrets', 'serviceSecret');
    eachItem(service.volumes, 'volumes', 'serviceVolume');
    eachItem(service.env_file, 'env_file', 'envFile');
    if (isDict(service.networks))
      for (const [network, entry] of Object.entries(service.networks))
        checkKeys(entry, [...at, 'networks', network], 'serviceNetwork', out);
    if (isDict(service.depends_on))
      for (const [dependency, entry] of Object.entries(service.depends_on))
        checkKeys(entry, [...at, 'depends_on', dependency], 'dependsOn', out);
  }
}
