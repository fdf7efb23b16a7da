import type {
  AdvisoryRecord,
  AdvisoryState,
  AffectedPackage,
  AffectedRange,
  RangeEvent,
  SeverityEntry,
} from '../model.js';
import { isoOrNull, uniq } from '../model.js';
import { ecosystemNamespace, normalizePackage } from '../namespaces.js';
import { cvssEntry, DISTRO_OSV_ID, isRecord, sourceForId, str, strings, vendorEntry } from './common.js';
import { issue, OsvRecord } from './schema.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
const OSV_FIELDS = ['affected', 'aliases', 'summary', 'details', 'schema_version', 'withdrawn', 'published'];

/** An object that looks like an OSV record: a string id plus some of OSV's own fields. */
export function looksLikeOsv(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value.id === 'string' && OSV_FIELDS.some((f) => f in value);
}

function severities(source: string, list: unknown): SeverityEntry[] {
  if (!Array.isArray(list)) return [];
  const out: SeverityEntry[] = [];
  for (const s of list) {
    if (!isRecord(s)) continue;
    const score = str(s.score);
    const type = str(s.type) ?? '';
    if (!score) continue;
    if (type.startsWith('CVSS') || score.startsWith('CVSS:')) out.push(cvssEntry(source, score));
    else out.push(vendorEntry(source, score));
  }
  return out;
}

function ranges(list: unknown): AffectedRange[] {
  if (!Array.isArray(list)) return [];
  const out: AffectedRange[] = [];
  for (const r of list) {
    if (!isRecord(r)) continue;
    const type = str(r.type)?.toUpperCase();
    if (type !== 'ECOSYSTEM' && type !== 'SEMVER' && type !== 'GIT') continue;
    const events: RangeEvent[] = [];
    for (const e of Array.isArray(r.events) ? r.events : []) {
      if (!isRecord(e)) continue;
      for (const key of EVENT_KEYS) {
        const v = str(e[key]);
        if (v !== undefined) events.push({ [key]: v } as RangeEvent);
      }
    }
    if (events.length === 0) continue;
    const repo = str(r.repo);
    out.push({ type, ...(repo ? { repo } : {}), events });
  }
  return out;
}

function lastFixed(list: AffectedRange[]): string | null {
  let fixed: string | null = null;
  for (const r of list) {
    if (r.type === 'REQUIREMENTS' || r.type === 'GIT') continue;
    for (const e of r.events) if ('fixed' in e) fixed = e.fixed;
  }
  return fixed;
}

/** A title for records without a summary (most PYSEC records): the details' first line, shortened. */
function firstLine(details: string | undefined): string | null {
  const line = details
    ?.split('\n')
    .find((l) => l.trim() !== '')
    ?.trim();
  if (!line) return null;
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

/** Normalize one OSV record into the sink. Exported for the feeds that publish OSV inside other shapes. */
export function importOsvRecord(rec: Record<string, unknown>, sink: FeedSink, now = new Date()): void {
  const checked = OsvRecord.safeParse(rec);
  const id = str(rec.id);
  if (!checked.success || !id) {
    sink.drop(`OSV record ${String(rec.id ?? '')}: ${checked.success ? 'no id' : issue(checked.error)}`);
    return;
  }
  const source = sourceForId(id);
  const withdrawnAt = isoOrNull(rec.withdrawn);
  const withdrawn = withdrawnAt !== null && new Date(withdrawnAt) <= now;
  const dbSpecific = isRecord(rec.database_specific) ? rec.database_specific : {};
  const severity = severities(source, rec.severity);
  const word = str(dbSpecific.severity);
  if (word) severity.push(vendorEntry(source, word));

  const byKey = new Map<string, AffectedPackage>();
  const packageExtras: Record<string, unknown> = {};
  for (const a of Array.isArray(rec.affected) ? rec.affected : []) {
    if (!isRecord(a) || !isRecord(a.package)) continue;
    const ecosystem = str(a.package.ecosystem);
    const name = str(a.package.name);
    if (!ecosystem || !name) continue;
    const namespace = ecosystemNamespace(ecosystem);
    const pkg = normalizePackage(namespace, name);
    const r = ranges(a.ranges);
    const versions = strings(a.versions);
    const fixed = lastFixed(r);
    const state: AdvisoryState = withdrawn ? 'withdrawn' : fixed ? 'fixed' : 'affected';
    const key = `${namespace}\u0000${pkg}`;
    const existing = byKey.get(key);
    const own = severities(source, a.severity);
    const ecoSeverity = isRecord(a.ecosystem_specific) ? str(a.ecosystem_specific.severity) : undefined;
    if (ecoSeverity) own.push(vendorEntry(source, ecoSeverity));
    if (existing) {
      existing.ranges.push(...r);
      existing.versions = uniq([...existing.versions, ...versions]);
      existing.fixedVersion = fixed ?? existing.fixedVersion;
      if (existing.state === 'affected' && state === 'fixed') existing.state = 'fixed';
      existing.severity.push(...own);
    } else {
      byKey.set(key, {
        namespace,
        package: pkg,
        state,
        ranges: r,
        versions,
        fixedVersion: fixed,
        severity: own,
      });
    }
    if (a.ecosystem_specific !== undefined) packageExtras[`${namespace}/${pkg}`] = a.ecosystem_specific;
  }

  const references = Array.isArray(rec.references)
    ? rec.references.map((r) => (isRecord(r) ? str(r.url) : undefined))
    : [];
  sink.add({
    source,
    format: 'osv',
    id,
    aliases: uniq(strings(rec.aliases)).filter((a) => a !== id),
    title: str(rec.summary) ?? firstLine(str(rec.details)),
    severity,
    references: uniq(references),
    published: isoOrNull(rec.published),
    modified: isoOrNull(rec.modified),
    withdrawn: withdrawnAt,
    affected: [...byKey.values()],
    extra: {
      ...(str(rec.details) ? { details: str(rec.details) } : {}),
      ...(Object.keys(packageExtras).length ? { ecosystemSpecific: packageExtras } : {}),
      ...(Object.keys(dbSpecific).length ? { databaseSpecific: dbSpecific } : {}),
    },
  });
}

/** OSV (ossf.github.io/osv-schema): one record, an array of records, in JSON or YAML. */
export const osv = {
  name: 'osv',
  description:
    'OSV records (Go, PyPI, RustSec, GHSA, npm, Debian/Alpine OSV…): one record or an array, JSON or YAML',
  sniff(input: FeedInput): boolean {
    const doc = input.doc;
    const generic = (d: unknown) => looksLikeOsv(d) && !DISTRO_OSV_ID.test(String(d.id));
    if (Array.isArray(doc)) return doc.length > 0 && doc.every(generic);
    return generic(doc);
  },
  import(input: FeedInput, sink: FeedSink): void {
    const docs = Array.isArray(input.doc) ? input.doc : [input.doc];
    for (const d of docs) {
      if (isRecord(d)) importOsvRecord(d, sink);
      else sink.drop('not an object');
    }
  },
} satisfies Feed;

/**
 * Read OSV records whose id matches `ids` through the generic reader, then let a distribution's feed amend
 * each record (its source, namespaces, severity words). The distributions' OSV feeds are built with this.
 */
export function distroOsvFeed(options: {
  name: string;
  description: string;
  ids: RegExp;
  amend(record: AdvisoryRecord, raw: Record<string, unknown>): void;
}): Feed {
  const claims = (d: unknown) => looksLikeOsv(d) && options.ids.test(String(d.id));
  return {
    name: options.name,
    description: options.description,
    sniff(input: FeedInput): boolean {
      const doc = input.doc;
      if (Array.isArray(doc)) return doc.length > 0 && doc.every(claims);
      return claims(doc);
    },
    import(input: FeedInput, sink: FeedSink): void {
      const docs = Array.isArray(input.doc) ? input.doc : [input.doc];
      for (const d of docs) {
        if (!isRecord(d)) {
          sink.drop('not an object');
          continue;
        }
        importOsvRecord(d, {
          add: (record) => {
            options.amend(record, d);
            sink.add(record);
          },
          signal: (s) => sink.signal(s),
          drop: (why) => sink.drop(why),
        });
      }
    },
  };
}

/** Red Hat's impact words as errata summaries start with them (`Moderate: python-requests security update`). */
const IMPACT = /^(Critical|Important|Moderate|Low):\s/;
/** The module stream an erratum updates (`mariadb:10.3 security…`), when its packages are modular builds. */
const STREAM = /^(?:\w+:\s+)?([\w.+-]+:[\w.+-]+)\s/;

/**
 * For Red Hat rebuilds' errata (AlmaLinux, Rocky Linux): the CVEs in `related` become aliases, the summary's
 * impact word the severity, and packages built for a module stream are keyed `module:stream/name` as Red
 * Hat keys them, so that a stream's fix never applies to the non-modular package.
 */
export function erratumAmend(source: string): (record: AdvisoryRecord, raw: Record<string, unknown>) => void {
  return (record, raw) => {
    record.source = source;
    record.aliases = uniq([...record.aliases, ...strings(raw.related)]).filter((a) => a !== record.id);
    const summary = str(raw.summary) ?? '';
    const impact = IMPACT.exec(summary)?.[1];
    if (impact) record.severity.push(vendorEntry(source, impact));
    const stream = STREAM.exec(summary)?.[1];
    if (stream)
      for (const a of record.affected)
        if (a.fixedVersion && /\.module[_+]/.test(a.fixedVersion)) a.package = `${stream}/${a.package}`;
  };
}
