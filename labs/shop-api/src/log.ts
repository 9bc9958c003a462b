// JSON lines on stdout, one per event, so `docker logs` is the log stream.
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, fatal: 50 } as const;
export type Level = keyof typeof LEVELS;

let threshold: number = LEVELS.info;
const base: Record<string, unknown> = {};

export function isLevel(value: string): value is Level {
  return value in LEVELS;
}

export function configureLog(level: Level, fields: Record<string, unknown>): void {
  threshold = LEVELS[level];
  Object.assign(base, fields);
}

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (LEVELS[level] < threshold) return;
  const line = JSON.stringify({ ts: new Date().toISOString(), level, msg, ...base, ...fields });
  // Synchronous on purpose: a fatal line must reach `docker logs` before process.exit.
  process.stdout.write(`${line}\n`);
}

export const debugEnabled = (): boolean => threshold <= LEVELS.debug;
