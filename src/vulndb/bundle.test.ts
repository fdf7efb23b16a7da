import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath } from '../../test/corpus.js';
import { freshDatabase } from '../store/test-support/dialects.js';
import { BUNDLE_MANIFEST, createBundle, verifyBundleFile } from './bundle.js';
import { importSources } from './importer.js';
import { findAdvisories } from './query.js';
import { advisoryStatus } from './store.js';

const dir = mkdtempSync(join(tmpdir(), 'bulkhead-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SLICES = [
  corpusPath('vulndb', 'debian', 'vunnel', 'tests', 'unit', 'providers', 'debian', 'test-fixtures', 'input'),
  corpusPath('vulndb', 'alpine', 'vunnel', 'tests', 'unit', 'providers', 'alpine', 'test-fixtures', 'input'),
  corpusPath('vulndb', 'osv', 'ghsa', 'trivy-db'),
  corpusPath('vulndb', 'osv', 'crates', 'rustsec-advisory-db', 'crates', 'smallvec'),
];

describe('offline bundles', () => {
  it('round-trips: create → verify (signed) → import elsewhere gives the same records and answers', async () => {
    const source = await freshDatabase('sqlite');
    const store = await source.open();
    await importSources(store.db, SLICES);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const { bytes, manifest } = await createBundle(store.db, {
      signKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const path = join(dir, 'advisories.bundle');
    writeFileSync(path, bytes);
    const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(verifyBundleFile(path, pub).signature).toBe('valid');
    expect(verifyBundleFile(path).signature).toBe('not-checked');
    const status = await advisoryStatus(store.db);
    expect(manifest.sources.map((s) => [s.name, s.records])).toEqual(
      status.sources.map((s) => [s.name, s.records]),
    );

    const target = await freshDatabase('postgres');
    const other = await target.open();
    const stranger0 = generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    await expect(importSources(other.db, [path], { publicKeyPem: stranger0 })).rejects.toThrow(
      /signature does not match/,
    );
    await expect(importSources(other.db, [SLICES[3]!], { publicKeyPem: pub })).rejects.toThrow(
      /not a signed Bulkhead bundle/,
    );
    expect((await advisoryStatus(other.db)).advisories).toBe(0);
    const imported = await importSources(other.db, [path], { publicKeyPem: pub });
    expect(imported.formats).toEqual({ bundle: status.sources.length });
    const copied = await advisoryStatus(other.db);
    expect(copied.sources.map((s) => [s.name, s.records, s.newest])).toEqual(
      status.sources.map((s) => [s.name, s.records, s.newest]),
    );
    const q = { namespace: 'apk/alpine/3.15', package: 'zsh', version: '5.4.2-r0' };
    expect(await findAdvisories(other.db, q)).toEqual(await findAdvisories(store.db, q));
    expect((await importSources(other.db, [path])).added).toBe(0);
    await store.close();
    await other.close();
    await source.dispose();
    await target.dispose();

    // a wrong key, a tampered entry, a missing signature
    const stranger = generateKeyPairSync('ed25519')
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    expect(() => verifyBundleFile(path, stranger)).toThrow(/signature does not match/);
    const files = unzipSync(bytes);
    const entry = Object.keys(files).find((f) => f.endsWith('.ndjson'))!;
    const tampered = join(dir, 'tampered.bundle');
    writeFileSync(tampered, zipSync({ ...files, [entry]: strToU8('{}\n') }));
    expect(() => verifyBundleFile(tampered)).toThrow(
      new RegExp(`tampered.bundle: checksum mismatch for ${entry}`),
    );
    const tmp = await freshDatabase('sqlite');
    const s3 = await tmp.open();
    await expect(importSources(s3.db, [tampered])).rejects.toThrow(/checksum mismatch/);
    expect((await advisoryStatus(s3.db)).advisories).toBe(0);
    await s3.close();
    await tmp.dispose();
    const unsigned = join(dir, 'unsigned.bundle');
    const { [`bulkhead-bundle.sig`]: _sig, ...rest } = files;
    writeFileSync(unsigned, zipSync(rest));
    expect(verifyBundleFile(unsigned).signature).toBe('unsigned');
    expect(() => verifyBundleFile(unsigned, pub)).toThrow(/not signed/);
    expect(BUNDLE_MANIFEST in rest).toBe(true);
  });
});
