import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { apk } from './catalogers/apk.js';
import { dpkg } from './catalogers/dpkg.js';
import { osPackageLayers } from './os-layers.js';
import { catalogFiles } from './test-support/view.js';

const status = (file: string) => readFileSync(corpusPath('images', file), 'utf8');
const BASE = status('syft/syft/pkg/cataloger/debian/testdata/image-dpkg/var/lib/dpkg/status');
const ADDED = status('claircore/dpkg/testdata/debian-only.status');
const LAYERS = ['sha256:l0', 'sha256:l1', 'sha256:l2'];

/** Show the tap each layer's copy of the database, as the layer walk would. */
function walk(copies: string[]) {
  const layers = osPackageLayers([dpkg, apk]);
  copies.forEach((text, layer) => {
    const content = Buffer.from(text);
    const tap = layers.tap('var/lib/dpkg/status', { size: content.length, mode: 0o644 }, layer);
    tap?.push(content);
    tap?.end();
  });
  return layers;
}

describe('osPackageLayers', () => {
  it('gives each OS package the first layer whose database lists it at that version', () => {
    const upgraded = BASE.replace('Version: 1.1.8-3.6', 'Version: 1.1.8-3.7');
    expect(upgraded).not.toBe(BASE);
    const final = `${upgraded.trimEnd()}\n\n${ADDED}`;
    const packages = catalogFiles({ 'var/lib/dpkg/status': final }, [dpkg]).map((p) => ({
      ...p,
      layer: LAYERS[2],
    }));
    const attributed = walk([BASE, `${BASE.trimEnd()}\n\n${ADDED}`, final]).attribute(packages, LAYERS);
    const byName = Object.fromEntries(attributed.map((p) => [`${p.name} ${p.version}`, p.layer]));
    const base = catalogFiles({ 'var/lib/dpkg/status': BASE }, [dpkg]);
    const added = catalogFiles({ 'var/lib/dpkg/status': ADDED }, [dpkg]);
    expect(base.length).toBeGreaterThan(0);
    expect(added.length).toBeGreaterThan(0);
    // the upgraded package is the third layer's; the others stayed as the base installed them
    for (const p of base)
      expect(byName[`${p.name} ${p.version === '1.1.8-3.6' ? '1.1.8-3.7' : p.version}`]).toBe(
        p.version === '1.1.8-3.6' ? LAYERS[2] : LAYERS[0],
      );
    for (const p of added) expect(byName[`${p.name} ${p.version}`]).toBe(LAYERS[1]);
  });

  it('leaves language packages and packages no tapped database listed as they were', () => {
    const npm = {
      name: 'left-pad',
      version: '1.3.0',
      type: 'npm' as const,
      purl: 'pkg:npm/left-pad@1.3.0',
      layer: LAYERS[0],
    };
    const deb = {
      name: 'ghost',
      version: '1',
      type: 'deb' as const,
      purl: 'pkg:deb/debian/ghost@1',
      layer: LAYERS[2],
    };
    expect(walk([BASE]).attribute([npm, deb], LAYERS)).toEqual([npm, deb]);
  });
});
