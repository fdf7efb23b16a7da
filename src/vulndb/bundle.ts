import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Kysely } from 'kysely';
import { errorMessage, UserInputError } from '../core/errors.js';
import { fromJsonColumn } from '../store/json-column.js';
import type { Database } from '../store/schema.js';
import type { FeedInput } from './feeds/types.js';
import type { AdvisoryRecord, AdvisoryState, AffectedRange, SeverityEntry } from './model.js';

/** The manifest entry that marks a zip as a Bulkhead advisory bundle. */
export const BUNDLE_MANIFEST = 'bulkhead-bundle.json';
export const BUNDLE_SIGNATURE = 'bulkhead-bundle.sig';

export interface BundleManifest {
  kind: 'AdvisoryBundle';
  schemaVersion: 1;
  createdAt: string;
  sources: {
    name: string;
    format: string;
    records: number;
    newest: string | null;
    entry: string;
    sha256: string;
    bytes: number;
  }[];
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Every stored record of one source, rebuilt as the feeds produced it. */
async function exportSource(
  db: Kysely<Database>,
  sourceId: number,
  format: string,
  name: string,
): Promise<AdvisoryRecord[]> {
  const records = await db
    .selectFrom('advisory_records')
    .selectAll()
    .where('source_id', '=', sourceId)
    .orderBy('vuln_id')
    .execute();
  const rows = await db
    .selectFrom('advisories')
    .innerJoin('advisory_records', 'advisory_records.id', 'advisories.record_id')
    .select([
      'advisories.record_id',
      'advisories.namespace',
      'advisories.package',
      'advisories.state',
      'advisories.reason',
      'advisories.ranges',
      'advisories.versions',
      'advisories.fixed_version',
      'advisories.severity',
    ])
    .where('advisory_records.source_id', '=', sourceId)
    .orderBy('advisories.id')
    .execute();
  const byRecord = new Map<number, AdvisoryRecord['affected']>();
  for (const r of rows) {
    const list = byRecord.get(r.record_id) ?? [];
    list.push({
      namespace: r.namespace,
      package: r.package,
      state: r.state as AdvisoryState,
      reason: r.reason,
      ranges: fromJsonColumn<AffectedRange[]>(r.ranges, []),
      versions: fromJsonColumn<string[]>(r.versions, []),
      fixedVersion: r.fixed_version,
      severity: fromJsonColumn<SeverityEntry[]>(r.severity, []),
    });
    byRecord.set(r.record_id, list);
  }
  return records.map((r) => {
    const { format: recordFormat, ...extra } = fromJsonColumn<Record<string, unknown>>(r.data, {});
    return {
      source: name,
      format: typeof recordFormat === 'string' ? recordFormat : format,
      id: r.vuln_id,
      aliases: fromJsonColumn<string[]>(r.aliases, []),
      title: r.title,
      severity: fromJsonColumn<SeverityEntry[]>(r.severity, []),
      references: fromJsonColumn<string[]>(r.refs, []),
      published: r.published,
      modified: r.modified,
      withdrawn: r.withdrawn,
      affected: byRecord.get(r.id) ?? [],
      extra,
    };
  });
}

/**
 * A compressed, checksummed export of the whole advisory database for air-gapped hosts: a zip holding one
 * NDJSON file per source and a manifest with their SHA-256; signed with the operator's private key if given.
 */
export async function createBundle(
  db: Kysely<Database>,
  options: { signKeyPem?: string; now?: Date } = {},
): Promise<{ bytes: Uint8Array; manifest: BundleManifest }> {
  const sources = await db.selectFrom('advisory_sources').selectAll().orderBy('name').execute();
  const files: Record<string, Uint8Array> = {};
  const manifest: BundleManifest = {
    kind: 'AdvisoryBundle',
    schemaVersion: 1,
    createdAt: (options.now ?? new Date()).toISOString(),
    sources: [],
  };
  for (const s of sources) {
    const records = await exportSource(db, s.id, s.format, s.name);
    const data = strToU8(records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''));
    const entry = `sources/${s.name}.ndjson`;
    files[entry] = data;
    manifest.sources.push({
      name: s.name,
      format: s.format,
      records: records.length,
      newest: s.newest,
      entry,
      sha256: sha256(data),
      bytes: data.length,
    });
  }
  const manifestBytes = strToU8(JSON.stringify(manifest, null, 2));
  files[BUNDLE_MANIFEST] = manifestBytes;
  if (options.signKeyPem) {
    let key: ReturnType<typeof createPrivateKey>;
    try {
      key = createPrivateKey(options.signKeyPem);
    } catch (error) {
      throw new UserInputError('--sign-key', `not a PEM private key: ${errorMessage(error)}`);
    }
    files[BUNDLE_SIGNATURE] = strToU8(
      sign(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', manifestBytes, key).toString('base64'),
    );
  }
  return { bytes: zipSync(files, { level: 6 }), manifest };
}

export interface BundleCheck {
  manifest: BundleManifest;
  signature: 'valid' | 'unsigned' | 'not-checked';
}

function readManifest(name: string, files: Record<string, Uint8Array>): BundleManifest {
  try {
    const m = JSON.parse(strFromU8(files[BUNDLE_MANIFEST]!)) as BundleManifest;
    if (m.kind !== 'AdvisoryBundle' || !Array.isArray(m.sources))
      throw new Error('not an AdvisoryBundle manifest');
    return m;
  } catch (error) {
    throw new UserInputError(name, `bad bundle manifest: ${errorMessage(error)}`);
  }
}

/** Check every entry against the manifest (and the signature when a public key is given). */
export function checkBundle(
  name: string,
  files: Record<string, Uint8Array>,
  publicKeyPem?: string,
): BundleCheck {
  const manifest = readManifest(name, files);
  for (const s of manifest.sources) {
    const data = files[s.entry];
    if (!data) throw new UserInputError(name, `bundle is missing ${s.entry}`);
    if (sha256(data) !== s.sha256) throw new UserInputError(name, `checksum mismatch for ${s.entry}`);
  }
  const sig = files[BUNDLE_SIGNATURE];
  if (!publicKeyPem) return { manifest, signature: sig ? 'not-checked' : 'unsigned' };
  if (!sig) throw new UserInputError(name, 'bundle is not signed');
  let key: ReturnType<typeof createPublicKey>;
  try {
    key = createPublicKey(publicKeyPem);
  } catch (error) {
    throw new UserInputError('--public-key', `not a PEM public key: ${errorMessage(error)}`);
  }
  const ok = verify(
    key.asymmetricKeyType === 'ed25519' ? null : 'sha256',
    files[BUNDLE_MANIFEST]!,
    key,
    Buffer.from(strFromU8(sig), 'base64'),
  );
  if (!ok) throw new UserInputError(name, 'bundle signature does not match the public key');
  return { manifest, signature: 'valid' };
}

/** Verify a bundle file. */
export function verifyBundleFile(path: string, publicKeyPem?: string): BundleCheck {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(readFileSync(path));
  } catch (error) {
    throw new UserInputError(path, `not a bundle: ${errorMessage(error)}`);
  }
  if (!(BUNDLE_MANIFEST in files))
    throw new UserInputError(path, 'not a Bulkhead advisory bundle (no manifest)');
  return checkBundle(path, files, publicKeyPem);
}

/** The inputs a verified bundle gives the importer: one per source (one transaction each). */
export function bundleInputs(
  name: string,
  files: Record<string, Uint8Array>,
  publicKeyPem?: string,
): FeedInput[] {
  const { manifest } = checkBundle(name, files, publicKeyPem);
  return manifest.sources.map((s) => {
    const text = strFromU8(files[s.entry]!);
    const records = text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as unknown);
    return {
      name: `${name}!${s.entry}`,
      origin: `bundle:${s.name}`,
      kind: 'json',
      text: '',
      doc: { bulkheadBundle: 1, source: s.name, records },
    };
  });
}
