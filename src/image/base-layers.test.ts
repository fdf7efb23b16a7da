import { describe, expect, it } from 'vitest';
import { baseHint, baseLayerCount } from './base-layers.js';

const made = (created_by: string) => ({ created_by });
const empty = (created_by: string) => ({ created_by, empty_layer: true });

describe('baseLayerCount', () => {
  it('classic builder: the base ends at its layer-less CMD, below the image own trailing instructions', () => {
    const history = [
      made('/bin/sh -c #(nop) ADD file:5d673d25da3a in / '),
      empty('/bin/sh -c #(nop)  CMD ["bash"]'),
      made('/bin/sh -c apt-get update && apt-get install -y curl'),
      made('/bin/sh -c #(nop) COPY file:ab12 in /app '),
      empty('/bin/sh -c #(nop)  ENTRYPOINT ["/app/run"]'),
      empty('/bin/sh -c #(nop)  CMD ["serve"]'),
    ];
    expect(baseLayerCount({ history }, 3)).toBe(1);
  });

  it('BuildKit: a base of two layers built on another (two CMDs): the last one before the image own layers', () => {
    const history = [
      made('ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit'),
      empty('CMD ["/bin/sh"]'),
      made('RUN /bin/sh -c apk add --no-cache python3 # buildkit'),
      empty('CMD ["python3"]'),
      made('COPY . /app # buildkit'),
      empty('CMD ["python3", "/app/main.py"]'),
    ];
    expect(baseLayerCount({ history }, 3)).toBe(2);
  });

  it('0 when the history names no base CMD, when the image is a base itself, or when it does not match the layers', () => {
    expect(baseLayerCount({ history: [made('ADD file:1 in /'), made('RUN make')] }, 2)).toBe(0);
    // debian:12 itself: its CMD is the image own last instruction
    expect(baseLayerCount({ history: [made('ADD file:1 in /'), empty('CMD ["bash"]')] }, 1)).toBe(0);
    const history = [made('ADD file:1 in /'), empty('CMD ["bash"]'), made('RUN make')];
    expect(baseLayerCount({ history }, 3)).toBe(0);
    expect(baseLayerCount({}, 2)).toBe(0);
  });
});

describe('baseHint', () => {
  const history = [made('ADD file:1 in /'), empty('CMD ["bash"]'), made('RUN make')];

  it('takes name and digest from the OCI base labels, the layer count from the history', () => {
    const labels = {
      'org.opencontainers.image.base.name': 'docker.io/library/debian:12.7',
      'org.opencontainers.image.base.digest': 'sha256:aa11',
    };
    expect(baseHint({ history, config: { Labels: labels } }, 2)).toEqual({
      name: 'docker.io/library/debian:12.7',
      digest: 'sha256:aa11',
      layers: 1,
    });
    expect(baseHint({ config: { Labels: labels } }, 2)).toEqual({
      name: 'docker.io/library/debian:12.7',
      digest: 'sha256:aa11',
      layers: 0,
    });
  });

  it('history alone, or nothing at all', () => {
    expect(baseHint({ history, config: { Labels: null } }, 2)).toEqual({ layers: 1 });
    expect(baseHint({ history: [made('RUN make')], config: { Labels: { other: 'x' } } }, 1)).toBeUndefined();
  });
});
