import { describe, expect, it } from 'vitest';
import { compileExpression } from '../compile.js';

const run = (e: string) => compileExpression(e)({});

describe('ip library', () => {
  it.each([
    ['isIP("127.0.0.1")', true],
    ['isIP("::1")', true],
    ['isIP("1.2.3")', false],
    ['isIP("127.0.0.01")', false],
    ['isIP("::ffff:1.2.3.4")', false],
    ['isIP("fe80::1%eth0")', false],
    ['ip("127.0.0.1").family()', 4n],
    ['ip("::1").family()', 6n],
    ['ip.isCanonical("127.0.0.1")', true],
    ['ip.isCanonical("2001:db8::abcd")', true],
    ['ip.isCanonical("2001:DB8::ABCD")', false],
    ['ip.isCanonical("2001:db8::0:0:0:abcd")', false],
    ['string(ip("2001:db8:0:0:0:0:2:1"))', '2001:db8::2:1'],
    ['string(ip("2001:db8:0:0:1:0:0:1"))', '2001:db8::1:0:0:1'],
    ['string(ip("::1.2.3.4"))', '::102:304'],
    ['ip("127.0.0.1").isLoopback()', true],
    ['ip("::1").isLoopback()', true],
    ['ip("0.0.0.0").isUnspecified()', true],
    ['ip("::").isUnspecified()', true],
    ['ip("224.0.0.1").isLinkLocalMulticast()', true],
    ['ip("ff02::1").isLinkLocalMulticast()', true],
    ['ip("169.254.169.254").isLinkLocalUnicast()', true],
    ['ip("fe80::1").isLinkLocalUnicast()', true],
    ['ip("192.168.0.1").isGlobalUnicast()', true],
    ['ip("2001:db8::1").isGlobalUnicast()', true],
    ['ip("255.255.255.255").isGlobalUnicast()', false],
    ['ip("ff00::1").isGlobalUnicast()', false],
    ['ip("10.0.0.1") == ip("10.0.0.1")', true],
  ])('%s', (expr, want) => {
    expect(run(expr)).toEqual(want);
  });

  it('rejects a string that is not an IP address', () => {
    expect(() => run('ip("10.0.0.256")')).toThrow(/parse error/);
    expect(() => run('ip.isCanonical("x")')).toThrow(/parse error/);
  });
});
