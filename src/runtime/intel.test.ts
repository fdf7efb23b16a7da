import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../core/errors.js';
import { cidrProblem, ThreatIntel } from './intel.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-intel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('threat-intel feeds', () => {
  it('refuses a CIDR whose prefix is out of range or not a number, naming the file and line', () => {
    for (const bad of [
      '10.0.0.0/-5',
      '10.0.0.0/33',
      '10.0.0.0/99',
      '10.0.0.0/1e1',
      '2001:db8::/129',
      '10.0.0.0/',
    ])
      expect(cidrProblem(bad), bad).toMatch(/prefix length/);
    for (const good of [
      '10.0.0.0/8',
      '0.0.0.0/0',
      '192.0.2.1/32',
      '2001:db8::/32',
      'example.com',
      '192.0.2.1',
    ])
      expect(cidrProblem(good), good).toBeUndefined();
    const intel = new ThreatIntel();
    expect(() => intel.loadText('# feed: x\n192.0.2.1\n10.0.0.0/-5\n', 'list', 'feeds/list.txt')).toThrow(
      new UserInputError(
        'feeds/list.txt:3',
        '"10.0.0.0/-5": the prefix length must be a whole number from 0 to 32',
      ),
    );
    const stix = JSON.stringify({
      type: 'bundle',
      objects: [{ type: 'indicator', id: 'indicator--1', pattern: "[ipv4-addr:value = '10.0.0.0/99']" }],
    });
    expect(() => intel.loadText(stix, 'stix', 'feeds/stix.json')).toThrow(
      /feeds\/stix.json: indicator indicator--1/,
    );
  });

  it('matches inside a good CIDR and not outside it', () => {
    const intel = new ThreatIntel();
    intel.loadText('10.1.0.0/16\n', 'list');
    expect(intel.ip('10.1.200.3')).toMatchObject({ indicator: '10.1.0.0/16' });
    expect(intel.ip('10.2.0.1')).toBeUndefined();
  });

  it('loads every regular file of a directory, and refuses an empty one', () => {
    const feeds = join(dir, 'feeds');
    mkdirSync(feeds);
    writeFileSync(join(feeds, 'a.txt'), '192.0.2.1\n');
    writeFileSync(join(feeds, 'b.txt'), 'bad.example\n');
    writeFileSync(join(feeds, '.hidden'), '10.0.0.0/-1\n');
    const intel = new ThreatIntel();
    intel.loadPath(feeds);
    expect(intel.size).toBe(2);
    mkdirSync(join(dir, 'empty'));
    expect(() => new ThreatIntel().loadPath(join(dir, 'empty'))).toThrow(/holds no feed file/);
  });
});
