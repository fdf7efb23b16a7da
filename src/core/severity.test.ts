import { describe, expect, it } from 'vitest';
import {
  atLeast,
  compareSeverity,
  countBySeverity,
  parseSeverity,
  parseSeverityList,
  type Severity,
  severityFromCvssScore,
} from './severity.js';

describe('parseSeverity', () => {
  it.each([
    ['CRITICAL', 'CRITICAL'],
    ['Important', 'HIGH'],
    ['moderate', 'MEDIUM'],
    ['unimportant', 'LOW'],
    ['negligible', 'LOW'],
    ['not yet assigned', 'UNKNOWN'],
    ['high*', 'HIGH'],
    ['medium**', 'MEDIUM'],
    ['  low ', 'LOW'],
    ['untriaged', 'UNKNOWN'],
    ['bogus', 'UNKNOWN'],
    ['', 'UNKNOWN'],
    [null, 'UNKNOWN'],
  ] as const)('maps %j to %s', (word, expected) => {
    expect(parseSeverity(word)).toBe(expected);
  });
});

describe('ordering', () => {
  it('sorts most severe first, UNKNOWN last', () => {
    const list: Severity[] = ['LOW', 'UNKNOWN', 'CRITICAL', 'MEDIUM', 'HIGH'];
    expect([...list].sort(compareSeverity)).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']);
  });
  it('compares against a threshold', () => {
    expect(atLeast('HIGH', 'HIGH')).toBe(true);
    expect(atLeast('CRITICAL', 'HIGH')).toBe(true);
    expect(atLeast('MEDIUM', 'HIGH')).toBe(false);
    expect(atLeast('UNKNOWN', 'LOW')).toBe(false);
  });
});

describe('CVSS bands', () => {
  it.each([
    [9.8, '3', 'CRITICAL'],
    [9.0, '3', 'CRITICAL'],
    [8.9, '3', 'HIGH'],
    [7.0, '4', 'HIGH'],
    [6.9, '3', 'MEDIUM'],
    [4.0, '3', 'MEDIUM'],
    [3.9, '3', 'LOW'],
    [0.1, '3', 'LOW'],
    [0, '3', 'UNKNOWN'],
    [10, '2', 'HIGH'],
    [4.3, '2', 'MEDIUM'],
    [11, '3', 'UNKNOWN'],
  ] as const)('%d (v%s) is %s', (score, version, expected) => {
    expect(severityFromCvssScore(score, version)).toBe(expected);
  });
});

describe('lists and counts', () => {
  it('parses --severity lists and rejects unknown words', () => {
    expect(parseSeverityList('high, critical,HIGH')).toEqual(['HIGH', 'CRITICAL']);
    expect(() => parseSeverityList('HIGH,SEVERE')).toThrow(/unknown severity "SEVERE"/);
  });
  it('counts by severity with every key present', () => {
    expect(countBySeverity([{ severity: 'HIGH' }, { severity: 'HIGH' }, { severity: 'LOW' }])).toEqual({
      CRITICAL: 0,
      HIGH: 2,
      MEDIUM: 0,
      LOW: 1,
      UNKNOWN: 0,
    });
  });
});
