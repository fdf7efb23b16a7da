import { describe, expect, it } from 'vitest';
import { compileExpression } from '../compile.js';

const run = (e: string) => compileExpression(e)({});

describe('url library', () => {
  it.each([
    ['isURL("https://example.com/")', true],
    ['isURL("/absolute-path")', true],
    ['isURL("example.com")', false],
    ['isURL("relative/path")', false],
    ['url("/path").getScheme()', ''],
    ['url("https://example.com/").getScheme()', 'https'],
    ['url("https://example.com/").getHost()', 'example.com'],
    ['url("https://example.com:80/").getHost()', 'example.com:80'],
    ['url("https://[::1]:80/").getHost()', '[::1]:80'],
    ['url("https://example.com:80/").getHostname()', 'example.com'],
    ['url("https://[::1]/").getHostname()', '::1'],
    ['url("https://example.com:80/").getPort()', '80'],
    ['url("https://example.com/").getPort()', ''],
    ['url("https://user:pass@example.com:80/path?query=val#fragment").getHost()', 'example.com:80'],
    ['url("https://example.com/path").getEscapedPath()', '/path'],
    ['url("https://example.com/path with spaces/").getEscapedPath()', '/path%20with%20spaces/'],
    ['url("https://example.com/").getEscapedPath()', '/'],
    ['url("https://example.com/?k=a&k=b&x=y").getQuery()', { k: ['a', 'b'], x: ['y'] }],
    ['url("https://example.com/?").getQuery()', {}],
    ['url("https://example.com/?a=b+c%21").getQuery()["a"]', ['b c!']],
    ['url("https://example.com/") == url("https://example.com/")', true],
    // Go's url.ParseRequestURI: opaque URIs and `*` are request URIs; ASCII may not be percent-encoded in a host
    ['isURL("mailto:someone@example.com")', true],
    ['isURL("*")', true],
    ['isURL("http://192.168.0.%31/")', false],
    ['isURL("http://[fe80::1%en0]/")', false],
    ['isURL("http://[fe80::1%25en0]:8080/")', true],
    ['url("mailto:someone@example.com").getScheme()', 'mailto'],
    ['url("mailto:someone@example.com").getHost()', ''],
    ['url("mailto:a@example.com") == url("mailto:b@example.com")', false],
  ])('%s', (expr, want) => {
    expect(run(expr)).toEqual(want);
  });

  it('rejects a string that is neither an absolute URI nor an absolute path', () => {
    expect(() => run('url("example.com")')).toThrow(/URL parse error/);
  });
});
