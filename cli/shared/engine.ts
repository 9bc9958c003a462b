/**
 * The engine, loaded on demand. Command modules are imported for `breakfix --help`, so they may
 * only reach the engine through this function, inside their actions: `list` and `--help` must
 * not pay for Docker clients, Ink or React.
 */
export type Engine = typeof import('../../engine/index.js');

let loaded: Promise<Engine> | undefined;

export function loadEngine(): Promise<Engine> {
  loaded ??= import('../../engine/index.js');
  return loaded;
}

/**
 * Called once the command's work is done: closes what the engine opened (the Docker
 * connection), so the process ends with its last line of output — without process.exit(),
 * which would cut off output still in a pipe.
 */
export async function releaseEngine(): Promise<void> {
  if (loaded) await (await loaded).disconnect();
}
