import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { catalogImage } from '../sbom/catalog.js';
import { licenseCategory } from './categories.js';
import { licenseFindings } from './license-findings.js';
import { normalizeLicense } from './normalize.js';
import { classifyLicense, DEFAULT_LICENSE_POLICY, LicensePolicy } from './policy.js';

const NO_POLICY = LicensePolicy.parse({});

/** The `L:` licence of each package in an apk installed database, read straight from the file. */
function apkLicenses(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const stanza of readFileSync(file, 'utf8').split(/\n\n+/)) {
    const name = /^P:(.+)$/m.exec(stanza)?.[1];
    const license = /^L:(.+)$/m.exec(stanza)?.[1];
    if (name && license?.trim()) out.set(name, license.trim());
  }
  return out;
}

describe('package licences', () => {
  it('classifies every licence an Alpine image declares (Trivy test image alpine:3.10)', async () => {
    const root = corpusPath('images', 'trivy', 'alpine-310');
    const declared = apkLicenses(join(root, 'lib/apk/db/installed'));
    const { packages } = await catalogImage(`dir:${root}`);
    const found = licenseFindings(packages, NO_POLICY);
    expect(
      new Map(found.map((f) => [f.package, found.filter((g) => g.package === f.package).length])),
    ).toEqual(new Map([...declared.keys()].map((k) => [k, 1])));
    for (const f of found) {
      const n = normalizeLicense(declared.get(f.package)!)!;
      expect(f.license).toBe(n.expression);
      // every SPDX licence of the corpus is one Trivy categorises
      expect(n.spdx, f.license).toBe(true);
      expect(f.category, f.license).not.toBe('unknown');
      expect(f.classification).toBe(DEFAULT_LICENSE_POLICY[f.category]);
    }
    const by = (name: string) => found.find((f) => f.package === name)!;
    expect(by('musl')).toMatchObject({ license: 'MIT', category: 'notice', classification: 'allowed' });
    expect(by('busybox')).toMatchObject({ category: 'restricted', classification: 'review' });
    // Alpine's space-separated list: all apply, the most encumbering decides
    expect(by('musl-utils')).toMatchObject({
      license: 'MIT AND BSD-2-Clause AND GPL-2.0-or-later',
      category: 'restricted',
    });
    // the order: denied, then review, then allowed
    const ranks = found.map((f) => ['denied', 'review', 'allowed'].indexOf(f.classification));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('a policy decides by id before category; GPL-2.0 and GPL2 are GPL-2.0-only', async () => {
    const root = corpusPath('images', 'trivy', 'alpine-310');
    const { packages } = await catalogImage(`dir:${root}`);
    const policy = LicensePolicy.parse({ denied: ['GPL-2.0-only'], allowed: ['restricted'] });
    const found = licenseFindings(packages, policy);
    const of = (name: string) => found.find((f) => f.package === name)?.classification;
    expect(of('busybox')).toBe('denied');
    expect(of('apk-tools')).toBe('denied');
    // GPL-2.0-or-later is another licence: its category is allowed by this policy
    expect(of('musl-utils')).toBe('allowed');
    expect(found[0]!.classification).toBe('denied');
  });

  it('normalises what package managers write to SPDX (RPM, Python, npm spellings)', () => {
    expect(normalizeLicense('GPLv2+ and LGPLv2+ with exceptions')).toEqual({
      expression: 'GPL-2.0-or-later AND LGPL-2.0-or-later',
      spdx: true,
    });
    expect(normalizeLicense('(MIT OR Apache-2.0)')).toEqual({
      expression: '(MIT OR Apache-2.0)',
      spdx: true,
    });
    expect(normalizeLicense('Apache Software License')?.expression).toBe('Apache-2.0');
    expect(normalizeLicense('MIT License')?.expression).toBe('MIT');
    expect(normalizeLicense('Proprietary; see LICENSE.txt')).toEqual({
      expression: 'Proprietary; see LICENSE.txt',
      spdx: false,
    });
    expect(normalizeLicense('  ')).toBeUndefined();
  });

  it('AND takes the strictest licence, OR the most lenient; text that is no SPDX id is for review', () => {
    expect(classifyLicense('MIT OR GPL-3.0-only', true, NO_POLICY)).toEqual({
      classification: 'allowed',
      category: 'notice',
    });
    expect(classifyLicense('MIT AND AGPL-3.0-only', true, NO_POLICY)).toEqual({
      classification: 'denied',
      category: 'forbidden',
    });
    expect(classifyLicense('Proprietary', false, NO_POLICY)).toEqual({
      classification: 'review',
      category: 'unknown',
    });
    expect(
      classifyLicense('Proprietary', false, LicensePolicy.parse({ denied: ['unknown'] })).classification,
    ).toBe('denied');
    expect(licenseCategory('CC0-1.0')).toBe('unencumbered');
  });
});
