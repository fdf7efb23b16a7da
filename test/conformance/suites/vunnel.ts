import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseSeverity } from '../../../src/core/severity.js';
import { FEEDS } from '../../../src/vulndb/feeds/index.js';
import type { AdvisoryRecord, AdvisoryState } from '../../../src/vulndb/model.js';
import { listSources, readSource } from '../../../src/vulndb/reader.js';
import { schemeFor } from '../../../src/vulndb/versions/index.js';
import type { CaseOutcome, ConformanceSuite } from '../types.js';
import { type SnapshotShape, VUNNEL_PROVIDERS, type VunnelProvider } from '../vunnel/providers.js';
import { filesUnder } from './support.js';

/** vunnel's layout: `tests/unit/providers/<provider>/test-fixtures/{input…, snapshots/}`. */
const FIXTURES = 'test-fixtures';

/** The providers' fixture folders at, inside or below `dir`. */
export function providerFolders(dir: string): { provider: string; fixtures: string }[] {
  if (basename(dir) === FIXTURES) return [{ provider: basename(join(dir, '..')), fixtures: dir }];
  if (existsSync(join(dir, FIXTURES))) return [{ provider: basename(dir), fixtures: join(dir, FIXTURES) }];
  const out: { provider: string; fixtures: string }[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 6) return;
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (!statSync(full).isDirectory() || name === 'snapshots') continue;
      if (name === FIXTURES && basename(join(d, '..')) === 'providers')
        out.push({ provider: basename(d), fixtures: full });
      else walk(full, depth + 1);
    }
  };
  walk(dir, 0);
  return out;
}

/** One row as the comparison sees it, in vunnel's vocabulary. */
type PeerState = 'fixed' | 'not-fixed' | 'wont-fix' | 'not-affected' | 'withdrawn';
interface Row {
  package: string;
  state: PeerState;
  version: string | null;
}

const PEER_STATE: Readonly<Record<AdvisoryState, PeerState>> = {
  fixed: 'fixed',
  affected: 'not-fixed',
  fix_deferred: 'not-fixed',
  will_not_fix: 'wont-fix',
  end_of_life: 'wont-fix',
  not_affected: 'not-affected',
  withdrawn: 'withdrawn',
};

interface Expected {
  shape: SnapshotShape;
  namespace: string;
  vulnerability: string;
  severity: string;
  rows: Row[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A snapshot file → what vunnel says; throws on a schema the suite does not know. */
function readSnapshot(file: string): Expected {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const schema = String(doc.schema ?? '');
  const identifier = String(doc.identifier ?? '');
  const namespace = identifier.split('/')[0] ?? '';
  const item = isObject(doc.item) ? doc.item : {};
  if (/\/vulnerability\/os\/schema-/.test(schema)) {
    const v = isObject(item.Vulnerability) ? item.Vulnerability : {};
    const rows: Row[] = [];
    for (const f of Array.isArray(v.FixedIn) ? v.FixedIn : []) {
      if (!isObject(f)) continue;
      const name = f.Module ? `${f.Module}/${f.Name}` : String(f.Name);
      const version = String(f.Version);
      const advisory = isObject(f.VendorAdvisory) ? f.VendorAdvisory : {};
      if (version === '0') rows.push({ package: name, state: 'not-affected', version: null });
      else if (version === 'None')
        rows.push({
          package: name,
          state: advisory.NoAdvisory === true ? 'wont-fix' : 'not-fixed',
          version: null,
        });
      else rows.push({ package: name, state: 'fixed', version });
    }
    return {
      shape: 'os',
      namespace: String(v.NamespaceName ?? namespace),
      vulnerability: String(v.Name),
      severity: String(v.Severity ?? 'Unknown'),
      rows,
    };
  }
  if (/\/vulnerability\/osv\/schema-/.test(schema)) {
    const withdrawn = typeof item.withdrawn === 'string' && new Date(item.withdrawn) <= new Date();
    const rows: Row[] = [];
    for (const a of Array.isArray(item.affected) ? item.affected : []) {
      if (!isObject(a) || !isObject(a.package)) continue;
      const events = (Array.isArray(a.ranges) ? a.ranges : []).flatMap((r) =>
        isObject(r) && Array.isArray(r.events) ? r.events : [],
      );
      const fixed = events
        .map((e) => (isObject(e) ? e.fixed : undefined))
        .filter((x) => typeof x === 'string');
      const anchore =
        isObject(a.database_specific) && isObject(a.database_specific.anchore)
          ? a.database_specific.anchore
          : {};
      const status = String(anchore.status ?? '');
      const version = (fixed.at(-1) as string | undefined) ?? null;
      const state: PeerState = withdrawn
        ? 'withdrawn'
        : version
          ? 'fixed'
          : status === 'wont-fix'
            ? 'wont-fix'
            : status === 'not-affected'
              ? 'not-affected'
              : 'not-fixed';
      rows.push({ package: String(a.package.name), state, version });
    }
    const vendor = (Array.isArray(item.severity) ? item.severity : []).find(
      (s) => isObject(s) && !String(s.type).startsWith('CVSS'),
    );
    return {
      shape: 'osv',
      namespace,
      vulnerability: String(item.id),
      severity: isObject(vendor) ? String(vendor.score) : 'Unknown',
      rows,
    };
  }
  throw new Error(`${file}: snapshot schema "${schema}" is not one the vunnel suite knows`);
}

interface Imported {
  /** Records of the compared feeds, with the snapshot shape they are compared in. */
  records: { record: AdvisoryRecord; shape: SnapshotShape }[];
  overlays: { record: AdvisoryRecord; shape: SnapshotShape }[];
}

/** Every input file of the fixtures (snapshots aside) through the feed that sniffs it. */
function importInputs(fixtures: string, provider: VunnelProvider): Imported {
  const out: Imported = { records: [], overlays: [] };
  const sources = listSources([fixtures]).filter((s) => !relative(fixtures, s.path).startsWith('snapshots'));
  for (const source of sources) {
    let items: ReturnType<typeof readSource>;
    try {
      items = readSource(source);
    } catch {
      continue; // a fixture that is not data (a fake archive, a README)
    }
    for (const item of items) {
      if (!('input' in item)) continue;
      const feed = FEEDS.find((f) => f.sniff(item.input));
      if (!feed) continue;
      const shape = provider.feeds[feed.name];
      const overlay = provider.overlays?.[feed.name];
      if (!shape && !overlay) continue;
      feed.import(item.input, {
        add: (record) => {
          if (shape) out.records.push({ record, shape });
          if (overlay) out.overlays.push({ record, shape: overlay });
        },
        signal: () => {},
        drop: () => {},
      });
    }
  }
  return out;
}

const names = (r: AdvisoryRecord) => [r.id, ...r.aliases].map((x) => x.toUpperCase());

/** What Bulkhead's records say for the snapshot's vulnerability in its namespace. */
function ours(
  imported: Imported,
  provider: VunnelProvider,
  want: Expected,
): { rows: Row[]; severity: string } {
  const id = want.vulnerability.toUpperCase();
  const inScope = (ns: string, shape: SnapshotShape) => provider.namespace(ns, shape) === want.namespace;
  // an OSV snapshot is one record (a USN naming the same CVE is another); an OS snapshot gathers every
  // advisory for the vulnerability (Fedora's updates)
  const matches = (r: AdvisoryRecord) =>
    want.shape === 'osv' ? r.id.toUpperCase() === id : names(r).includes(id);
  const records = imported.records
    .filter((r) => r.shape === want.shape && matches(r.record))
    .map((r) => r.record)
    .filter((r) => r.affected.some((a) => inScope(a.namespace, want.shape)));
  const overlay = new Map<string, AdvisoryState>();
  for (const { record, shape } of imported.overlays) {
    if (shape !== want.shape || !records.some((r) => names(r).some((n) => names(record).includes(n))))
      continue;
    for (const a of record.affected)
      if (inScope(a.namespace, shape) && a.state !== 'fixed' && a.state !== 'affected')
        overlay.set(a.package, a.state);
  }
  const rows: Row[] = [];
  for (const r of records)
    for (const a of r.affected) {
      if (!inScope(a.namespace, want.shape)) continue;
      const amended = a.state !== 'fixed' && a.state !== 'withdrawn' ? overlay.get(a.package) : undefined;
      const state = PEER_STATE[amended ?? a.state];
      rows.push({
        package: a.package,
        state,
        version: state === 'fixed' || state === 'withdrawn' ? a.fixedVersion : null,
      });
    }
  // several advisories for one vulnerability (Fedora updates): the first published sets the severity
  const first = [...records].sort(
    (a, b) => (a.published ?? '').localeCompare(b.published ?? '') || a.id.localeCompare(b.id),
  )[0];
  const vendor = first?.severity.find((s) => s.type === 'vendor');
  // where vunnel bands the vendor's only published score (Photon), the score's band
  const scored = provider.scoredSeverity ? first?.severity[0]?.severity : undefined;
  return { rows, severity: vendor?.value ?? scored ?? 'Unknown' };
}

function sameVersion(namespace: string, a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  const scheme = schemeFor(namespace);
  return a === b || (scheme?.valid(a) === true && scheme.valid(b) && scheme.compare(a, b) === 0);
}

const rowText = (r: Row) => `${r.package}${r.version ? `@${r.version}` : ''} ${r.state}`;

/** The first difference, in one line; undefined when they agree. */
function diff(
  want: Expected,
  got: { rows: Row[]; severity: string },
  bulkheadNamespace: string,
): string | undefined {
  if (parseSeverity(want.severity) !== parseSeverity(got.severity))
    return `severity: vunnel ${want.severity}, Bulkhead ${got.severity}`;
  const seen = new Set<string>();
  const left = got.rows.filter((r) => {
    const key = rowText(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  for (const w of want.rows) {
    const i = left.findIndex(
      (g) =>
        g.package === w.package &&
        g.state === w.state &&
        sameVersion(bulkheadNamespace, g.version, w.version),
    );
    if (i < 0) {
      const near = got.rows.filter((g) => g.package === w.package).map(rowText);
      return `vunnel ${rowText(w)}; Bulkhead ${near.length ? near.join(', ') : 'no row for the package'}`;
    }
    left.splice(i, 1);
  }
  if (left.length) return `Bulkhead only: ${left.map(rowText).join(', ')}`;
  return undefined;
}

async function* runProvider(provider: string, fixtures: string): AsyncIterable<CaseOutcome> {
  const entry = VUNNEL_PROVIDERS[provider];
  if (!entry)
    throw new Error(
      `vunnel provider "${provider}" (${fixtures}) has no Bulkhead feed in test/conformance/vunnel/providers.ts (known: ${Object.keys(VUNNEL_PROVIDERS).sort().join(', ')})`,
    );
  const imported = importInputs(fixtures, entry);
  const snapshots = join(fixtures, 'snapshots');
  for (const file of filesUnder(snapshots, (n) => n.endsWith('.json'))) {
    const id = `${provider}/${relative(snapshots, file)}`;
    const want = readSnapshot(file);
    const got = ours(imported, entry, want);
    const why = diff(want, got, versionNamespace(want));
    yield why ? { id, verdict: 'failed', detail: why } : { id, verdict: 'passed' };
  }
}

/** A namespace of the snapshot's version scheme: dpkg for Ubuntu, rpm for the Red Hat family and Fedora. */
function versionNamespace(want: Expected): string {
  return /^ubuntu/.test(want.namespace) ? 'deb/ubuntu' : 'rpm/';
}

/** vunnel's provider tests: each provider's `input/` through Bulkhead's feeds, compared with its `snapshots/`. */
export const vunnel: ConformanceSuite = {
  name: 'vunnel',
  description:
    'vunnel provider snapshots (namespace, package, fixed version, state, severity) from the same inputs',
  defaultDir: 'vulndb/rhel',
  async *run(dir: string) {
    const found = providerFolders(dir);
    if (found.length === 0)
      throw new Error(
        `${dir}: no vunnel provider folder (tests/unit/providers/<provider>/test-fixtures) in it`,
      );
    for (const { provider, fixtures } of found) yield* runProvider(provider, fixtures);
  },
};
