import { describe, expect, it } from 'vitest';
import { interpolate, parseComposeDuration, splitShellWords } from '../../engine/compose/index.js';
import { closest } from '../../engine/source/suggest.js';
import { formatPath, parseYamlSource } from '../../engine/source/yaml-source.js';

describe('interpolate', () => {
  const env = { A: 'a', EMPTY: '' };
  it.each([
    ['plain', 'plain'],
    ['$A', 'a'],
    ['${A}', 'a'],
    ['x${A}y$A', 'xaya'],
    ['${A:-d}', 'a'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${NONE-d}', 'd'],
    ['${NONE:-${A}-${EMPTY:-z}}', 'a-z'],
    ['${A:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${NONE+alt}', ''],
    ['$$A', '$A'],
    ['$${A}', '${A}'],
    ['${NONE:-a}}', 'a}'],
  ])('%s → %s', (text, expected) => {
    const result = interpolate(text, env);
    expect(result.errors).toEqual([]);
    expect(result.value).toBe(expected);
  });

  it('warns about unset variables, errors on required ones and malformed text', () => {
    expect(interpolate('${NONE}', env)).toEqual({
      value: '',
      errors: [],
      warnings: ['the NONE variable is not set in .env; defaulting to a blank string'],
    });
    expect(interpolate('${NONE:?need it}', env).errors).toEqual(['required variable NONE is not set in .env: need it']);
    expect(interpolate('${NONE?}', env).errors).toEqual(['required variable NONE is not set in .env']);
    expect(interpolate('${EMPTY?}', env).errors).toEqual([]);
    expect(interpolate('cost $5', env).errors[0]).toMatch(/invalid interpolation "\$5"/);
    expect(interpolate('${}', env).errors[0]).toMatch(/expected a variable name/);
    expect(interpolate('${A', env).errors[0]).toMatch(/missing "}"/);
    expect(interpolate('trailing $', env).errors[0]).toMatch(/invalid interpolation/);
  });
});

describe('splitShellWords', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ['  ', []],
    ['sh -c "echo $HOME && exit 1"', ['sh', '-c', 'echo $HOME && exit 1']],
    ['echo \'single "quoted"\'', ['echo', 'single "quoted"']],
    ['echo "a \\"b\\" \\\\ c"', ['echo', 'a "b" \\ c']],
    ['a\\ b c', ['a b', 'c']],
    ['x""y \'\'', ['xy', '']],
  ])('%s', (text, words) => {
    expect(splitShellWords(text)).toEqual({ words });
  });

  it('reports unterminated quotes', () => {
    expect(splitShellWords("echo 'x")).toEqual({ error: 'unterminated single quote' });
  });
});

describe('parseComposeDuration', () => {
  it.each([
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['300ms', 300],
    ['2h45m', 9_900_000],
    ['0', 0],
    ['10us', 0],
    ['.5s', 500],
  ])('%s = %d ms', (text, ms) => {
    expect(parseComposeDuration(text)).toBe(ms);
  });

  it.each(['', '10', '5 s', 's', '1d', '1m-30s'])('%j is not a duration', (text) => {
    expect(parseComposeDuration(text)).toBeUndefined();
  });
});

describe('suggestions and YAML positions', () => {
  it('suggests close names only', () => {
    expect(closest('enviroment', ['environment', 'entrypoint'])).toBe('environment');
    expect(closest('prot', ['port', 'path'])).toBe('port');
    expect(closest('env', ['environment', 'entrypoint'])).toBe('environment');
    expect(closest('zzz', ['environment'])).toBeUndefined();
  });

  it('locates keys, values, missing children and merged keys', () => {
    const source = parseYamlSource('base: &b\n  x: 1\nitem:\n  <<: *b\n  list: [a, {k: v}]\n');
    expect(source.value).toEqual({ base: { x: 1 }, item: { x: 1, list: ['a', { k: 'v' }] } });
    expect(source.locate(['item', 'list', 1, 'k'])).toEqual({ line: 5, col: 17 });
    expect(source.locate(['item', 'list', 1, 'k'], 'key')).toEqual({ line: 5, col: 14 });
    expect(source.locate(['item', 'x'])).toEqual({ line: 2, col: 6 });
    expect(source.locate(['item', 'missing'])).toEqual({ line: 3, col: 1 });
    expect(source.has(['item', 'list', 0])).toBe(true);
    expect(source.has(['item', 'nope'])).toBe(false);
    expect(formatPath(['services', 'api', 'labels', 'com.example', 0])).toBe('services.api.labels["com.example"][0]');
  });

  it('survives alias bombs and self-references', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 0; level < 8; level += 1)
      bomb.push(
        `${String.fromCharCode(98 + level)}: &${String.fromCharCode(98 + level)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + level)}`)
          .join(', ')}]`,
      );
    const source = parseYamlSource(`${bomb.join('\n')}\n`);
    expect(source.problems[0]?.message).toMatch(/too large/);
  });
});
