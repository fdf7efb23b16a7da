import { describe, expect, it } from 'vitest';
import { exceptionState, parseExpiry } from './exceptions.js';

const now = new Date('2026-06-15T12:00:00Z');

describe('exceptionState', () => {
  it('is active without an expiry', () => {
    expect(exceptionState({ id: 'CVE-2024-1', reason: 'vendored, not reachable' }, now)).toBe('active');
  });
  it('keeps a date-only expiry active through that whole day (UTC)', () => {
    expect(exceptionState({ id: 'x', reason: 'r', expires: '2026-06-15' }, now)).toBe('active');
    expect(exceptionState({ id: 'x', reason: 'r', expires: '2026-06-14' }, now)).toBe('expired');
  });
  it('honours a full timestamp', () => {
    expect(exceptionState({ id: 'x', reason: 'r', expires: '2026-06-15T11:59:59Z' }, now)).toBe('expired');
    expect(exceptionState({ id: 'x', reason: 'r', expires: '2026-06-15T12:00:01Z' }, now)).toBe('active');
  });
  it('rejects an unparseable date instead of treating it as never expiring', () => {
    expect(() => parseExpiry('next tuesday')).toThrow(/invalid expiry date/);
  });
});
