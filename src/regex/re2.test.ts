import { describe, expect, it } from 'vitest';
import { RegexSyntaxError, userRegex } from './re2.js';

describe('userRegex (RE2)', () => {
  it('decides a catastrophic-backtracking pattern against a long hostile value at once', () => {
    const hostile = `${'a'.repeat(100_000)}!`;
    const started = process.hrtime.bigint();
    expect(userRegex('^([a-z]+ ?)+$').test(hostile)).toBe(false);
    expect(userRegex('^(a|aa)+$').test(hostile)).toBe(false);
    // JavaScript's engine takes exponential time on these; RE2 is linear: well under a second for 100k characters
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });

  it('speaks RE2: inline flags, named groups, \\A and \\z, POSIX classes', () => {
    expect(userRegex('(?i)^abc$').test('ABC')).toBe(true);
    expect(userRegex('(?P<v>[0-9]+)').find('v1.25')).toBe('1');
    expect(userRegex('\\Aab\\z').test('ab')).toBe(true);
    expect(userRegex('\\Aab\\z').test('ab\n')).toBe(false);
    expect(userRegex('[[:digit:]]+').findAll('a1b22c333')).toEqual(['1', '22', '333']);
    expect(userRegex('[0-9]').findAll('a1b2c3', 2)).toEqual(['1', '2']);
    expect(userRegex('x').findAll('xxx', 0)).toEqual([]);
    expect(userRegex('^prod-', { caseInsensitive: true }).test('PROD-db')).toBe(true);
    expect(userRegex('^prod-').test('PROD-db')).toBe(false);
  });

  it('replaces every match, by a template with group references or by a function', () => {
    expect(userRegex('([a-z]+)-(\\d+)').replaceAll('ab-1 cd-22', '$2=$1')).toBe('1=ab 22=cd');
    expect(userRegex('[0-9]').replaceAll('a1b2', () => '$1')).toBe('a$1b$1');
  });

  it('gives the spans of matches and of a named group, leaving out a group that took no part', () => {
    const r = userRegex('key(=(?P<v>\\w+))?');
    expect(r.spans('a key=abc key', 'v')).toEqual([
      { start: 2, end: 9, group: { start: 6, end: 9 } },
      { start: 10, end: 13 },
    ]);
    expect(r.spans('key key key', 'v', 2)).toHaveLength(2);
    expect(userRegex('ab').spans('abab', 'nope')).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
    ]);
  });

  it('refuses at compile time what RE2 does not accept, naming the pattern', () => {
    for (const bad of ['(a)\\1', '(?=a)b', '(?<!a)b', '([a-z]', '*a'])
      expect(() => userRegex(bad)).toThrow(RegexSyntaxError);
    expect(() => userRegex('(a)\\1')).toThrow(
      /invalid regular expression "\(a\)\\\\1": invalid escape sequence/,
    );
  });
});
