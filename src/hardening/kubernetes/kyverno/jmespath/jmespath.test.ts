import { describe, expect, it } from 'vitest';
import { search } from './evaluate.js';

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
    ['max_by(spec.containers, &name).name', 'b'],
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
  ])('%s', (expr, want) => {
    expect(search(pod, expr)).toEqual(want);
  });

  it('rejects malformed expressions and unknown functions', () => {
    expect(() => search(pod, 'spec.[')).toThrow();
    expect(() => search(pod, 'nosuch(@)')).toThrow(/unknown function/);
    expect(() => search(pod, 'length(`1`)')).toThrow(/length/);
  });
});
