/**
 * Split a command string the way Compose does for `command: npm run start` (shlex rules):
 * whitespace separates words, single quotes keep everything literal, double quotes allow `\"`
 * and `\\`, a backslash outside quotes escapes the next character. No variable expansion,
 * no globbing: that is the container shell's job, if any.
 */
export function splitShellWords(text: string): { words: string[] } | { error: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (
        char === '\\' &&
        (text[index + 1] === '"' || text[index + 1] === '\\' || text[index + 1] === '$' || text[index + 1] === '`')
      ) {
        word += text[index + 1];
        index += 1;
      } else word += char;
      continue;
    }
    if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (char === "'" || char === '"') quote = char;
    else if (char === '\\') {
      if (index + 1 < text.length) {
        word += text[index + 1];
        index += 1;
      }
    } else word += char;
  }
  if (quote) return { error: `unterminated ${quote === '"' ? 'double' : 'single'} quote` };
  if (inWord) words.push(word);
  return { words };
}
