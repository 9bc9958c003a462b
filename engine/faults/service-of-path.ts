import { parseYamlPath } from '../util/yaml-path.js';

/** `services.api.environment.X` refers to service `api`; validation checks it exists in the lab. */
export function serviceOfComposePath(path: string): string[] {
  const [root, service] = parseYamlPath(path);
  return root === 'services' && typeof service === 'string' ? [service] : [];
}
