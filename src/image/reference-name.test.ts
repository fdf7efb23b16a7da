import { describe, expect, it } from 'vitest';
import { normaliseReference } from './reference-name.js';

describe('normaliseReference', () => {
  it('spells references one way', () => {
    expect(normaliseReference('nginx')).toEqual({ name: 'docker.io/library/nginx:latest' });
    expect(normaliseReference('docker://library/nginx:1.2')).toEqual({ name: 'docker.io/library/nginx:1.2' });
    expect(normaliseReference('localhost:5000/a/b@sha256:ff')).toEqual({
      name: 'localhost:5000/a/b',
      digest: 'sha256:ff',
    });
  });
});
