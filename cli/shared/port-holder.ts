/**
 * Who holds a TCP port on this machine, cheaply: `ss -ltnp` (iproute2, present on most Linux
 * machines). Only asked when Docker has already said "port is already allocated", so a missing
 * `ss` or a slow answer costs nothing on the normal path.
 */
import { execFile } from 'node:child_process';

export function describePortHolder(ssOutput: string, port: number): string | undefined {
  const line = ssOutput.split('\n').find((entry) => new RegExp(`[:\\]]${port}\\s`).test(entry));
  if (!line) return undefined;
  const process = /users:\(\("([^"]+)",pid=(\d+)/.exec(line);
  if (!process) return 'another process (run `sudo ss -ltnp` to see which)';
  const [, name, pid] = process;
  // Docker publishes ports through docker-proxy: the holder is then another container.
  if (name === 'docker-proxy') return `another container (see \`docker ps --filter publish=${port}\`)`;
  return `${name} (pid ${pid})`;
}

export function findPortHolder(port: number, timeoutMs = 1_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('ss', ['-Hltnp', `sport = :${port}`], { timeout: timeoutMs }, (error, stdout) => {
      resolve(error ? undefined : describePortHolder(stdout, port));
    });
  });
}
