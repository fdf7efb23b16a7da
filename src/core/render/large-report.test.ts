import { describe, expect, it } from 'vitest';
import { renderTable } from './table.js';

describe('large reports', () => {
  it('a 200k-row table renders (no argument spread per row), widths from every row', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ id: `CVE-${i}`, severity: 'HIGH' }));
    rows[199_999] = { id: 'the-longest-identifier-of-all', severity: 'LOW' };
    const text = renderTable({
      columns: [
        { key: 'id', header: 'ID' },
        { key: 'severity', header: 'SEVERITY' },
      ],
      sections: [{ rows }],
    });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(200_002);
    expect(lines[2]).toBe(`${'CVE-0'.padEnd('the-longest-identifier-of-all'.length)}  HIGH`);
  });
});
