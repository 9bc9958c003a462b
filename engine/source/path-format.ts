/**
 * Dotted paths of nodes in a document (`services.api.ports[1]`), for messages. Its own module so
 * that loaders which never locate a line (the course file on every command) need no YAML parser.
 */
export type PathSegment = string | number;

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_\-/$]+$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
