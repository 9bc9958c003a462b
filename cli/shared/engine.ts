/**
 * The engine, loaded on demand. Command modules are imported for `breakfix --help`, so they may
 * only reach the engine through this function, inside their actions: `list` and `--help` must
 * not pay for Docker clients, Ink or React.
 */
export type Engine = typeof import('../../engine/index.js');

export function loadEngine(): Promise<Engine> {
  return import('../../engine/index.js');
}
