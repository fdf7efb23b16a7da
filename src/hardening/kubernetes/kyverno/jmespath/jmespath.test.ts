import { describe, expect, it } from 'vitest';
import { expressionProblem, search } from './search.js';

const pod = {
  spec: {
    containers: [
      {
        name: 'a',
        image: 'nginx',
        ports: [{ hostPort: 80 }],
        securityContext: { capabilities: { drop: ['all'] } },
      },
      { name: 'b', image: 'redis', ports: [{ containerPort: 6379 }] },
    ],
    initContainers: [{ name: 'i', image: 'busybox', ports: [{ hostPort: 9000 }] }],
    volumes: [
      { name: 'v', hostPath: { path: '/' } },
      { name: 'w', emptyDir: {} },
    ],
  },
};

describe('JMESPath', () => {
  it.each([
    ['spec.containers[0].name', 'a'],
    ['spec.containers[-1].name', 'b'],
    ['spec.containers[].name', ['a', 'b']],
    ['spec.containers[*].image', ['nginx', 'redis']],
    ['spec.[ephemeralContainers, initContainers, containers][].ports[].hostPort', [9000, 80]],
    ['spec.volumes[].keys(@)[]', ['name', 'hostPath', 'name', 'emptyDir']],
    ["spec.containers[?name == 'b'].image | [0]", 'redis'],
    ['spec.containers[0].securityContext.capabilities.drop[].to_upper(@)', ['ALL']],
    ['spec.containers[1].securityContext.capabilities.drop[] || `[]`', []],
    ["spec.missing || 'BACKGROUND'", 'BACKGROUND'],
    ['length(spec.containers)', 2],
    [
      'spec.containers[].{n: name, i: image}',
      [
        { n: 'a', i: 'nginx' },
        { n: 'b', i: 'redis' },
      ],
    ],
    ['spec.containers[0:1].name', ['a']],
    ['spec.containers[::-1].name', ['b', 'a']],
    ['sort_by(spec.containers, &image)[].name', ['a', 'b']],
    ['max_by(spec.containers, &length(to_string(@))).name', 'a'],
    ['map(&name, spec.containers)', ['a', 'b']],
    ['!(spec.missing)', true],
    ['spec.containers[?ports[?hostPort]].name', ['a']],
    ['`{"a": 1}`.a', 1],
    ["contains(spec.containers[].image, 'redis')", true],
    ["join(',', spec.containers[].name)", 'a,b'],
    ['spec.volumes[?hostPath] | length(@)', 1],
    ['spec.*.name', []],
    ['spec.containers[].ports[].hostPort | [0] > `50`', true],
    ["split('a.b', '.')", ['a', 'b']],
    ["regex_match('^ngi', spec.containers[0].image)", true],
    ["starts_with(spec.containers[0].image, 'ng') && ends_with(spec.containers[0].image, 'x')", true],
    ["semver_compare('1.27.3', '>=1.25.0')", true],
    ['parse_json(\'{"a": [1]}\').a[0]', 1],
    ["parse_yaml('a: b').a", 'b'],
    ["path_canonicalize('/var/../etc/./passwd')", '/etc/passwd'],
    ["to_boolean('True')", true],
    ["items(spec.containers[0].securityContext.capabilities, 'k', 'v')", [{ k: 'drop', v: ['all'] }]],
    ['items(`{"b": 1}`)', [['b', 1]]],
    ["replace('a-b-c', '-', '+', `-1`)", 'a+b+c'],
    ["replace('a-b-c', '-', '+', `1`)", 'a+b-c'],
    ["regex_match('(?i)^NGI', spec.containers[0].image)", true],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go's replacement template, `${2}` as well as `$1`
    ["regex_replace_all('([a-z]+)-(\\d+)', 'abc-12', '${2}_$1')", '12_abc'],
    ["pattern_match('ngin?', spec.containers[0].image)", true],
    ['label_match(`{"a": "1"}`, `{"a": "1", "b": "2"}`)', true],
    ['lookup(spec.containers, `1`).name', 'b'],
    ['object_from_lists(spec.containers[].name, spec.containers[].image)', { a: 'nginx', b: 'redis' }],
    ["truncate('abcdef', `3`)", 'abc'],
    ["base64_decode('aGk=')", 'hi'],
    ['add(`1`, `2`)', 3],
    ["time_add('2023-01-01T00:00:00Z', '1h30m')", '2023-01-01T01:30:00Z'],
    ["time_diff('2023-01-01T00:00:00Z', '2023-01-01T02:00:01Z')", '2h0m1s'],
    ["time_since('', '2023-01-01T00:00:00Z', '2023-01-01T00:00:00.5Z')", '500ms'],
    [
      "time_parse('Mon Jan 02 2006 15:04:05 -0700', 'Wed Jun 22 2022 17:45:00 +0100')",
      '2022-06-22T17:45:00+01:00',
    ],
    ["time_parse('2006-01-02', '2024-03-09')", '2024-03-09T00:00:00Z'],
    ["time_utc('2021-01-02T18:04:05+05:30')", '2021-01-02T12:34:05Z'],
    ["time_truncate('2023-01-01T10:17:05Z', '1h')", '2023-01-01T10:00:00Z'],
    ["time_to_cron('2023-02-02T15:04:05Z')", '4 15 2 2 4'],
    ["time_before('2023-01-01T00:00:00Z', '2023-01-01T00:00:01Z')", true],
    ["time_between('2023-01-01T12:00:00Z', '2023-01-01T00:00:00Z', '2023-01-02T00:00:00Z')", true],
  ])('%s', (expr, want) => {
    expect(search(pod, expr)).toEqual(want);
  });

  it('rejects malformed expressions, unknown functions and wrong argument types', () => {
    expect(() => search(pod, 'spec.[')).toThrow();
    expect(() => search(pod, 'nosuch(@)')).toThrow(/nosuch/);
    expect(() => search(pod, 'length(`1`)')).toThrow(/length/);
    expect(() => search(pod, "time_add('yesterday', '1h')")).toThrow(/RFC 3339/);
  });

  it('names what keeps an expression from running before it runs', () => {
    expect(expressionProblem('spec.containers[].to_upper(name)')).toBeUndefined();
    expect(expressionProblem('image_verify(spec)')).toBe('unknown function image_verify()');
    expect(expressionProblem('spec.[')).toMatch(/Syntax error/);
  });
});
