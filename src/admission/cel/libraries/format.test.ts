import { Optional } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { compileExpression } from '../compile.js';

const run = (e: string, activation: Record<string, unknown> = {}) => compileExpression(e)(activation);
/** The problems `validate` reports, `[]` for none. */
const problems = (e: string) => {
  const v = run(e);
  expect(v).toBeInstanceOf(Optional);
  return (v as Optional).orValue([]) as string[];
};

const LABEL_ERROR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_ERROR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_ERROR =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_ERROR =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_ERROR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const NAMES = [
  'dns1123Label',
  'dns1123Subdomain',
  'dns1035Label',
  'qualifiedName',
  'dns1123LabelPrefix',
  'dns1123SubdomainPrefix',
  'dns1035LabelPrefix',
  'labelValue',
  'uri',
  'uuid',
  'byte',
  'date',
  'datetime',
];

describe('format library', () => {
  it.each([
    // the examples of the library's documentation, all valid
    ['format.dns1123Label().validate("my-label-name")'],
    ['format.dns1123Subdomain().validate("apiextensions.k8s.io")'],
    ['format.dns1035Label().validate("my-label-name")'],
    ['format.qualifiedName().validate("apiextensions.k8s.io/v1beta1")'],
    ['format.dns1123LabelPrefix().validate("my-label-prefix-")'],
    ['format.dns1123SubdomainPrefix().validate("mysubdomain.prefix.-")'],
    ['format.dns1035LabelPrefix().validate("my-label-prefix-")'],
    ['format.uri().validate("http://example.com")'],
    ['format.uuid().validate("123e4567-e89b-12d3-a456-426614174000")'],
    ['format.byte().validate("aGVsbG8=")'],
    ['format.date().validate("2021-01-01")'],
    ['format.datetime().validate("2021-01-01T00:00:00Z")'],
    ['format.labelValue().validate("my-cool-label-Value")'],
    ['format.labelValue().validate("")'],
    ['format.qualifiedName().validate("my.name")'],
    ['format.uri().validate("/just/a/path?q=1")'],
    ['format.uri().validate("mailto:someone@example.com")'],
    ['format.uuid().validate("123E4567E89B12D3A456426614174000")'],
    ['format.date().validate("2024-02-29")'],
    ['format.datetime().validate("2021-01-01t23:59:59.123+02:00")'],
  ])('%s is valid', (expr) => {
    expect(run(expr)).toBe(Optional.none());
  });

  it.each([
    ['format.dns1123Label().validate("contains a space")', [LABEL_ERROR]],
    ['format.dns1123Subdomain().validate("contains a space")', [SUBDOMAIN_ERROR]],
    ['format.dns1035Label().validate("contains a space")', [DNS1035_ERROR]],
    ['format.dns1035Label().validate("1abc")', [DNS1035_ERROR]],
    ['format.qualifiedName().validate("contains a space")', [NAME_PART_ERROR]],
    ['format.dns1123LabelPrefix().validate("contains a space-")', [LABEL_ERROR]],
    ['format.dns1123SubdomainPrefix().validate("contains a space-")', [SUBDOMAIN_ERROR]],
    ['format.dns1035LabelPrefix().validate("contains a space-")', [DNS1035_ERROR]],
    ['format.dns1123Label().validate("my-label-")', [LABEL_ERROR]],
    ['format.labelValue().validate("my-cool-label-Value!!\\n\\n!!!")', [LABEL_VALUE_ERROR]],
    ['format.byte().validate("aGVsbG8")', ['invalid base64']],
    ['format.date().validate("2020-01-32")', ['invalid date']],
    ['format.date().validate("2023-02-29")', ['invalid date']],
    ['format.datetime().validate("2020-01-32T00:00:00Z")', ['invalid datetime']],
    ['format.datetime().validate("2020-01-01T24:00:00Z")', ['invalid datetime']],
    ['format.uuid().validate("not-a-uuid")', ['does not match the UUID format']],
    ['format.uri().validate("example.com/path")', ['parse "example.com/path": invalid URI for request']],
    ['format.uri().validate("")', ['parse "": empty url']],
    [
      'format.uri().validate("http://example.com:8a/")',
      ['parse "http://example.com:8a/": invalid port ":8a" after host'],
    ],
    [
      'format.uri().validate("http://exa mple.com/")',
      ['parse "http://exa mple.com/": invalid character " " in host name'],
    ],
    ['format.uri().validate("/a%zzb")', ['parse "/a%zzb": invalid URL escape "%zz"']],
  ])('%s reports the API server messages', (expr, want) => {
    expect(problems(expr)).toEqual(want);
  });

  // The request-URI cases of Go's net/url tests: format.uri() is url.ParseRequestURI
  it.each([
    ['http://foo.com', true],
    ['http://foo.com/', true],
    ['http://foo.com/path', true],
    ['/', true],
    ['//not.a.user@not.a.host/just/a/path', true],
    ['//not.a.user@%66%6f%6f.com/just/a/path/also', true],
    ['*', true],
    ['http://192.168.0.1/', true],
    ['http://192.168.0.1:8080/', true],
    ['http://[fe80::1]/', true],
    ['http://[fe80::1]:8080/', true],
    ['http://[fe80::1%25en0]/', true],
    ['http://[fe80::1%25en0]:8080/', true],
    ['http://[fe80::1%25%65%6e%301-._~]/', true],
    ['http://[fe80::1%25%65%6e%301-._~]:8080/', true],
    ['foo.html', false],
    ['../dir/', false],
    [' http://foo.com', false],
    ['http://192.168.0.%31/', false],
    ['http://192.168.0.%31:8080/', false],
    ['http://[fe80::%31]/', false],
    ['http://[fe80::%31]:8080/', false],
    ['http://[fe80::%31%25en0]/', false],
    ['http://[fe80::%31%25en0]:8080/', false],
    ['http://[fe80::1%en0]/', false],
    ['http://[fe80::1%en0]:8080/', false],
  ])('format.uri() of %j: valid %s', (uri, valid) => {
    expect(run('format.uri().validate(object.u).hasValue()', { object: { u: uri } })).toBe(!valid);
  });

  it('checks lengths: a label of 64, a subdomain of 254, a qualified name part of 64', () => {
    const long = (n: number) => 'a'.repeat(n);
    expect(problems(`format.dns1123Label().validate("${long(63)}")`)).toEqual([]);
    expect(problems(`format.dns1123Label().validate("${long(64)}")`)).toEqual([
      'must be no more than 63 characters',
    ]);
    const subdomain = `${long(63)}.${long(63)}.${long(63)}.${long(63)}`;
    expect(problems(`format.dns1123Subdomain().validate("${subdomain.slice(0, 253)}")`)).toEqual([]);
    expect(problems(`format.dns1123Subdomain().validate("${subdomain}")`)).toEqual([
      'must be no more than 253 characters',
    ]);
    expect(problems(`format.qualifiedName().validate("example.com/${long(64)}")`)).toEqual([
      'name part must be no more than 63 characters',
    ]);
  });

  it('qualified names: prefix and name parts are checked apart; more than one / is one error', () => {
    expect(problems('format.qualifiedName().validate("/name")')).toEqual(['prefix part must be non-empty']);
    expect(problems('format.qualifiedName().validate("Example.com/name")')).toEqual([
      `prefix part ${SUBDOMAIN_ERROR}`,
    ]);
    expect(problems('format.qualifiedName().validate("example.com/")')).toEqual([
      'name part must be non-empty',
      NAME_PART_ERROR,
    ]);
    expect(problems('format.qualifiedName().validate("a/b/c")')[0]).toMatch(
      /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/,
    );
  });

  it.each(NAMES)('format.named("%s") is the same format as format.%s()', (name) => {
    expect(run(`format.named("${name}").hasValue()`)).toBe(true);
    expect(run(`format.named("${name}").value() == format.${name}()`)).toBe(true);
    const other = NAMES.find((n) => n !== name)!;
    expect(run(`format.${name}() == format.${other}()`)).toBe(false);
  });

  it('format.named of an unknown name is optional.none(); validate composes with optional functions', () => {
    expect(run('format.named("unknown").hasValue()')).toBe(false);
    expect(
      run('format.named(object.kind).orValue(format.uri()).validate(object.metadata.name).hasValue()', {
        object: { kind: 'x', metadata: { name: 'no-scheme' } },
      }),
    ).toBe(true);
    expect(
      run('format.dns1123Label().validate(object.metadata.name).orValue([]).size()', {
        object: { metadata: { name: 'Bad_Name' } },
      }),
    ).toBe(1n);
  });

  it('rejects wrong argument types and unknown formats at compile time', () => {
    expect(() => compileExpression('format.dns1123Label().validate(1)')).toThrow(/validate/);
    expect(() => compileExpression('format.noSuchFormat()')).toThrow(/noSuchFormat/);
  });
});
