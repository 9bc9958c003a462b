/**
 * Log lines a person can read: a JSON log line (`{"ts":…,"level":"fatal","msg":…,…}`, the
 * shape of the labs' structured logs, of pino, bunyan, logrus and structlog) becomes
 * `time  level  message  key=value …`; any other line stays as it is. Used by the TUI's log
 * pane and by `breakfix logs` at a terminal (`--raw` and piped output keep the JSON).
 *
 * Hand-written rather than pino-pretty: the TUI needs styled parts it lays out and wraps itself
 * (not ANSI strings), and the labs' logs are not all pino's shape.
 */
import type { Style } from './style.js';

export type LogTone = 'bad' | 'warn' | 'dim' | 'accent' | 'bold';

export interface LogPart {
  text: string;
  tone?: LogTone;
}

export interface LogRecord {
  /** The line was a JSON object. */
  structured: boolean;
  time?: string;
  level?: string;
  message: string;
  fields: Array<[string, string]>;
}

const TIME_KEYS = ['ts', 'time', 'timestamp', '@timestamp', 't', 'datetime'];
const LEVEL_KEYS = ['level', 'lvl', 'severity', 'levelname', 'log.level'];
const MESSAGE_KEYS = ['msg', 'message', 'event', '@message'];

/** pino's and bunyan's numeric levels. */
const NUMERIC_LEVELS: ReadonlyArray<[number, string]> = [
  [60, 'fatal'],
  [50, 'error'],
  [40, 'warn'],
  [30, 'info'],
  [20, 'debug'],
  [10, 'trace'],
];

function firstKey(object: Record<string, unknown>, keys: readonly string[]): string | undefined {
  return keys.find((key) => Object.hasOwn(object, key) && object[key] !== null && object[key] !== undefined);
}

function levelName(value: unknown): string {
  if (typeof value === 'number') return NUMERIC_LEVELS.find(([at]) => value >= at)?.[1] ?? String(value);
  return String(value).toLowerCase();
}

/** The clock time as the line wrote it (no time-zone conversion): `22:10:16.803`. */
function clockTime(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Epoch seconds (Python's time.time()) or milliseconds (Date.now(), pino).
    const ms = value < 1e11 ? value * 1000 : value;
    return new Date(ms).toISOString().slice(11, 23);
  }
  const text = String(value);
  const clock = /\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?/.exec(text);
  return clock ? clock[0] : text;
}

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

export function parseLogLine(line: string): LogRecord {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return { structured: false, message: line, fields: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return { structured: false, message: line, fields: [] };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return { structured: false, message: line, fields: [] };
  const object = parsed as Record<string, unknown>;
  const timeKey = firstKey(object, TIME_KEYS);
  const levelKey = firstKey(object, LEVEL_KEYS);
  const messageKey = firstKey(object, MESSAGE_KEYS);
  const used = new Set([timeKey, levelKey, messageKey]);
  const fields = Object.entries(object)
    .filter(([key]) => !used.has(key))
    .map(([key, value]): [string, string] => [key, fieldValue(value)]);
  return {
    structured: true,
    ...(timeKey ? { time: clockTime(object[timeKey]) } : {}),
    ...(levelKey ? { level: levelName(object[levelKey]) } : {}),
    message: messageKey ? String(object[messageKey]) : '',
    fields,
  };
}

export function levelTone(level: string | undefined): LogTone | undefined {
  if (level === undefined) return undefined;
  if (/^(fatal|panic|critical|crit|emerg|alert|error|err)$/.test(level)) return 'bad';
  if (/^warn(ing)?$/.test(level)) return 'warn';
  if (/^(debug|trace)$/.test(level)) return 'dim';
  return 'accent';
}

/** The line as styled parts: time (dim) · level (coloured) · message · key=value (dim keys). */
export function logLineParts(line: string): LogPart[] {
  const record = parseLogLine(line);
  if (!record.structured) return [{ text: record.message }];
  const parts: LogPart[] = [];
  if (record.time) parts.push({ text: `${record.time} `, tone: 'dim' });
  if (record.level) {
    const tone = levelTone(record.level);
    parts.push(tone ? { text: record.level.padEnd(5), tone } : { text: record.level.padEnd(5) });
    parts.push({ text: ' ' });
  }
  const message = record.message || (record.fields.length === 0 ? '{}' : '');
  if (message) parts.push({ text: message });
  for (const [key, value] of record.fields) {
    parts.push({ text: parts.length > 0 ? `  ${key}=` : `${key}=`, tone: 'dim' });
    parts.push({ text: value });
  }
  return parts;
}

/** The plain text of a formatted line (what the TUI's filter matches and wraps). */
export function partsText(parts: readonly LogPart[]): string {
  return parts.map((part) => part.text).join('');
}

/** One formatted line for a terminal, coloured through `style`. */
export function formatLogLine(line: string, style: Style): string {
  return logLineParts(line)
    .map((part) => (part.tone ? style[part.tone](part.text) : part.text))
    .join('');
}
