/**
 * Compose variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}` and `$$` for a literal `$`.
 * Defaults may themselves hold `${...}`. Values come only from the workspace `.env` — never from
 * the process environment — so a lab behaves the same on every machine.
 */
import { VARIABLE_NAME_SOURCE } from '../params/variable-name.js';

export interface InterpolationResult {
  value: string;
  /** Fatal: `${VAR:?message}` on an unset variable, or a malformed `$` expression. */
  errors: string[];
  /** Compose carries on with an empty string and says so. */
  warnings: string[];
}

/** A variable name at the start of the text (the rest follows the name). */
const NAME = new RegExp(`^${VARIABLE_NAME_SOURCE}`);

export function interpolate(text: string, env: Readonly<Record<string, string>>): InterpolationResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const value = expand(text, env, errors, warnings, 0);
  return { value, errors, warnings };
}

function expand(
  text: string,
  env: Readonly<Record<string, string>>,
  errors: string[],
  warnings: string[],
  depth: number,
): string {
  if (!text.includes('$')) return text;
  if (depth > 10) {
    errors.push('interpolation nested too deeply');
    return text;
  }
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char !== '$') {
      out += char;
      index += 1;
      continue;
    }
    const next = text[index + 1];
    if (next === '$') {
      out += '$';
      index += 2;
      continue;
    }
    if (next === '{') {
      const end = closingBrace(text, index + 2);
      if (end < 0) {
        errors.push(
          `invalid interpolation ${JSON.stringify(text.slice(index))}: missing "}" (write $$ for a literal $)`,
        );
        return out + text.slice(index);
      }
      out += braced(text.slice(index + 2, end), env, errors, warnings, depth);
      index = end + 1;
      continue;
    }
    const name = NAME.exec(text.slice(index + 1))?.[0];
    if (name) {
      out += lookup(name, env, warnings);
      index += 1 + name.length;
      continue;
    }
    errors.push(`invalid interpolation ${JSON.stringify(text.slice(index, index + 2))}: write $$ for a literal $`);
    out += '$';
    index += 1;
  }
  return out;
}

/** Index of the `}` closing a `${` whose body starts at `start`, honouring nested `${...}`. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (char === '$' && text[index + 1] === '$') {
      index += 1;
    } else if (char === '$' && text[index + 1] === '{') {
      depth += 1;
      index += 1;
    } else if (char === '}') {
      if (depth === 0) return index;
      depth -= 1;
    }
  }
  return -1;
}

function lookup(name: string, env: Readonly<Record<string, string>>, warnings: string[]): string {
  const value = Object.hasOwn(env, name) ? env[name] : undefined;
  if (value === undefined) {
    warnings.push(`the ${name} variable is not set in .env; defaulting to a blank string`);
    return '';
  }
  return value;
}

function braced(
  body: string,
  env: Readonly<Record<string, string>>,
  errors: string[],
  warnings: string[],
  depth: number,
): string {
  const name = NAME.exec(body)?.[0];
  if (!name) {
    errors.push(`invalid interpolation \${${body}}: expected a variable name`);
    return '';
  }
  const rest = body.slice(name.length);
  const value = Object.hasOwn(env, name) ? env[name] : undefined;
  if (rest === '') return lookup(name, env, warnings);
  const operator = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!operator) {
    errors.push(`invalid interpolation \${${body}}: unknown operator after ${name} (use :- - :? ? :+ +)`);
    return '';
  }
  const argument = rest.slice(operator.length);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (operator) {
    case ':-':
      return nonEmpty ? value : expand(argument, env, errors, warnings, depth + 1);
    case '-':
      return set ? value : expand(argument, env, errors, warnings, depth + 1);
    case ':?':
      if (nonEmpty) return value;
      errors.push(
        `required variable ${name} is ${set ? 'empty' : 'not set'} in .env${argument ? `: ${expand(argument, env, errors, warnings, depth + 1)}` : ''}`,
      );
      return '';
    case '?':
      if (set) return value;
      errors.push(
        `required variable ${name} is not set in .env${argument ? `: ${expand(argument, env, errors, warnings, depth + 1)}` : ''}`,
      );
      return '';
    case ':+':
      return nonEmpty ? expand(argument, env, errors, warnings, depth + 1) : '';
    default:
      return set ? expand(argument, env, errors, warnings, depth + 1) : '';
  }
}
