import { describe, expect, it } from 'vitest';
import { compileExpression } from '../compile.js';

const run = (e: string) => compileExpression(e)({});

describe('cidr library', () => {
  it.each([
    ['isCIDR("192.168.0.0/16")', true],
    ['isCIDR("10.0.0.0/33")', false],
    ['isCIDR("10.0.0.0")', false],
    ['isCIDR("::1/128")', true],
    ['cidr("192.168.0.0/24").containsIP(ip("192.168.0.1"))', true],
    ['cidr("192.168.0.0/24").containsIP("192.168.1.1")', false],
    ['cidr("192.168.0.0/24").containsIP("::1")', false],
    ['cidr("192.168.0.0/16").containsCIDR(cidr("192.168.10.0/24"))', true],
    ['cidr("192.168.0.0/16").containsCIDR("192.168.10.0/24")', true],
    ['cidr("192.168.10.0/24").containsCIDR("192.168.0.0/16")', false],
    ['cidr("2001:db8::/32").containsIP("2001:db8::1")', true],
    ['string(cidr("192.168.0.1/24").masked())', '192.168.0.0/24'],
    ['string(cidr("192.168.0.1/24").ip())', '192.168.0.1'],
    ['cidr("192.168.0.1/24").ip().family()', 4n],
    ['cidr("::1/128").prefixLength()', 128n],
    ['cidr("10.0.0.0/8") == cidr("10.0.0.0/8")', true],
    ['cidr("10.0.0.1/8").masked() == cidr("10.0.0.0/8")', true],
  ])('%s', (expr, want) => {
    expect(run(expr)).toEqual(want);
  });

  it('rejects a malformed prefix', () => {
    expect(() => run('cidr("10.0.0.0/x")')).toThrow(/parse error/);
  });
});
