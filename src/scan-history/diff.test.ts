import { describe, expect, it } from 'vitest';
import { diffItems } from './diff.js';
import type { ScanItem } from './stored-scan.js';

const item = (resource: string, id: string, status = 'fail', severity: ScanItem['severity'] = 'HIGH') => ({
  key: `${resource}|${id}|`,
  id,
  resource,
  subject: '',
  severity,
  status,
  message: `${id} on ${resource}`,
});

describe('diffItems', () => {
  it('sorts results into new, resolved, changed and unchanged by identity, most severe first', () => {
    const from = [item('a', 'c1'), item('a', 'c2', 'warn'), item('b', 'c1'), item('z', 'c3', 'fail', 'LOW')];
    const to = [item('a', 'c1'), item('a', 'c2', 'fail'), item('c', 'c1', 'fail', 'LOW'), item('d', 'c4')];
    const diff = diffItems(from, to);
    expect(diff.new.map((i) => i.key)).toEqual(['d|c4|', 'c|c1|']);
    expect(diff.resolved.map((i) => i.key)).toEqual(['b|c1|', 'z|c3|']);
    expect(diff.changed).toEqual([{ ...item('a', 'c2', 'fail'), was: 'warn' }]);
    expect(diff.unchanged.map((i) => i.key)).toEqual(['a|c1|']);
  });

  it('pairs repeated identities one to one', () => {
    const diff = diffItems(
      [item('a', 'c1'), item('a', 'c1')],
      [item('a', 'c1'), item('a', 'c1'), item('a', 'c1')],
    );
    expect([diff.new.length, diff.unchanged.length, diff.resolved.length]).toEqual([1, 2, 0]);
    const back = diffItems([item('a', 'c1'), item('a', 'c1')], []);
    expect(back.resolved).toHaveLength(2);
  });

  it('finds nothing between a scan and itself', () => {
    const items = [item('a', 'c1'), item('b', 'c2', 'manual')];
    expect(diffItems(items, items)).toMatchObject({ new: [], resolved: [], changed: [] });
  });
});
