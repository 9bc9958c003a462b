/**
 * Evidence is raw observation — a log excerpt, a response body — so it may hold terminal
 * escapes, NUL bytes or lone surrogates. Every reporter passes it through these helpers
 * before it reaches an XML attribute, a YAML block or a terminal.
 */

// CSI / OSC / single-character escape sequences (colours, cursor moves, titles).
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;

/** Removes terminal escape sequences (docker logs of a colourful app are full of them). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

// Characters XML 1.0 does not allow anywhere, not even escaped: C0 controls except tab, LF and
// CR, U+FFFE/U+FFFF, and UTF-16 surrogates that are not part of a pair.
const XML_INVALID =
  /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text that can go into an XML 1.0 document: escapes stripped, the unrepresentable shown as U+FFFD. */
export function xmlSafe(text: string): string {
  return stripAnsi(text).replace(XML_INVALID, '\ufffd');
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text for a terminal or a TAP stream: escapes stripped, other control characters made visible. */
export function printable(text: string): string {
  return stripAnsi(text)
    .replace(/\r\n/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(LONE_SURROGATE, '\ufffd');
}

/** One line: newlines and runs of blanks collapsed to single spaces. */
export function oneLine(text: string): string {
  return printable(text).replace(/\s+/g, ' ').trim();
}

/** `api-healthy: The API answers /health`, or just the id when the title repeats it. */
export function checkLabel(check: { id: string; title: string }): string {
  const title = oneLine(check.title);
  return title === '' || title === check.id ? check.id : `${check.id}: ${title}`;
}

export function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}
