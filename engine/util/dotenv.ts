/**
 * `.env` files as Compose reads them: `KEY=value`, `export KEY=value`, `#` comments, single or
 * double quotes. Editing keeps every other line untouched so a learner's file stays theirs.
 */

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

function unquote(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  // An unquoted value ends at ` #` (inline comment), as in Compose.
  const comment = value.search(/\s#/);
  return (comment >= 0 ? value.slice(0, comment) : value).trim();
}

export interface DotenvEntry {
  key: string;
  value: string;
  /** 1-based line number, for error messages. */
  line: number;
}

export function parseDotenv(source: string): DotenvEntry[] {
  const entries: DotenvEntry[] = [];
  source.split(/\r?\n/).forEach((text, index) => {
    if (/^\s*(#|$)/.test(text)) return;
    const match = LINE.exec(text);
    if (match?.[1] !== undefined) entries.push({ key: match[1], value: unquote(match[2] ?? ''), line: index + 1 });
  });
  return entries;
}

export function dotenvToRecord(source: string): Record<string, string> {
  return Object.fromEntries(parseDotenv(source).map((entry) => [entry.key, entry.value]));
}

function quoteIfNeeded(value: string): string {
  return /^[A-Za-z0-9_./:@+-]*$/.test(value) ? value : JSON.stringify(value);
}

export function setDotenv(source: string, key: string, value: string): string {
  const lines = source.length === 0 ? [] : source.replace(/\n$/, '').split('\n');
  const index = lines.findIndex((line) => LINE.exec(line)?.[1] === key);
  const entry = `${key}=${quoteIfNeeded(value)}`;
  if (index >= 0) lines[index] = entry;
  else lines.push(entry);
  return `${lines.join('\n')}\n`;
}

/** Returns undefined when the key is absent. */
export function unsetDotenv(source: string, key: string): string | undefined {
  const lines = source.replace(/\n$/, '').split('\n');
  const kept = lines.filter((line) => LINE.exec(line)?.[1] !== key);
  return kept.length === lines.length ? undefined : `${kept.join('\n')}\n`;
}
