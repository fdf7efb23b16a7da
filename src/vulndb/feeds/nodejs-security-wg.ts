import semver from 'semver';
import type { AdvisoryRecord, AffectedPackage } from '../model.js';
import { isoOrNull, uniq } from '../model.js';
import { cvssEntry, isRecord, str, strings, vendorEntry } from './common.js';
import { issue, NspAdvisory } from './schema.js';
import type { Feed, FeedInput, FeedSink } from './types.js';

/** The number a security-wg file is named by (`vuln/core/12.json` → 12). */
function fileNumber(name: string): string | undefined {
  return /(?:^|[/\\!])(\d+)\.json$/.exec(name)?.[1];
}

function fixedFrom(patched: string | undefined): string | null {
  if (!patched) return null;
  try {
    return semver.minVersion(patched)?.version ?? null;
  } catch {
    return null;
  }
}

function npmRecord(d: Record<string, unknown>, sink: FeedSink): AdvisoryRecord | undefined {
  const checked = NspAdvisory.safeParse(d);
  if (!checked.success) {
    sink.drop(`npm advisory: ${issue(checked.error)}`);
    return undefined;
  }
  const id = str(d.id)!;
  const name = str(d.module_name)!;
  const vulnerable = str(d.vulnerable_versions);
  const patched = str(d.patched_versions);
  const vector = str(d.cvss_vector);
  const score = typeof d.cvss_score === 'number' ? d.cvss_score : undefined;
  const row: AffectedPackage = {
    namespace: 'npm',
    package: name,
    state: patched && patched !== '<0.0.0' ? 'fixed' : 'affected',
    reason: null,
    ranges: [
      {
        type: 'REQUIREMENTS',
        ...(vulnerable ? { affected: vulnerable } : {}),
        unaffected: patched ? [patched] : [],
      },
    ],
    versions: [],
    fixedVersion: fixedFrom(patched),
    severity: [],
  };
  return {
    source: 'nodejs-security-wg',
    format: 'nodejs-security-wg',
    id: `NSWG-ECO-${id}`,
    aliases: uniq(strings(d.cves)),
    title: str(d.title) ?? null,
    severity: vector ? [cvssEntry('nodejs-security-wg', vector, score)] : [],
    references: uniq(strings(d.references)),
    published: isoOrNull(d.publish_date) ?? isoOrNull(d.created_at),
    modified: isoOrNull(d.updated_at),
    withdrawn: null,
    affected: [row],
    extra: { overview: str(d.overview), recommendation: str(d.recommendation) },
  };
}

function coreRecord(number: string, d: Record<string, unknown>): AdvisoryRecord {
  const vulnerable = str(d.vulnerable);
  const patched = str(d.patched);
  const severity = str(d.severity);
  return {
    source: 'nodejs-core',
    format: 'nodejs-security-wg',
    id: `NSWG-CORE-${number}`,
    aliases: uniq(strings(d.cve)),
    title: str(d.description) ?? null,
    severity: severity ? [vendorEntry('nodejs', severity)] : [],
    references: uniq([str(d.ref)]),
    published: null,
    modified: null,
    withdrawn: null,
    affected: [
      {
        namespace: 'nodejs',
        package: 'node',
        state: patched ? 'fixed' : 'affected',
        reason: null,
        ranges: [
          {
            type: 'REQUIREMENTS',
            ...(vulnerable ? { affected: vulnerable } : {}),
            unaffected: patched ? [patched] : [],
          },
        ],
        versions: [],
        fixedVersion: null,
        severity: [],
      },
    ],
    extra: { overview: str(d.overview), affectedEnvironments: strings(d.affectedEnvironments) },
  };
}

function depsRecord(number: string, d: Record<string, unknown>): AdvisoryRecord {
  return {
    source: 'nodejs-deps',
    format: 'nodejs-security-wg',
    id: `NSWG-DEPS-${number}`,
    aliases: uniq(strings(d.cve)),
    title: str(d.description) ?? null,
    severity: [],
    references: uniq([str(d.ref)]),
    published: null,
    modified: null,
    withdrawn: null,
    affected: [
      {
        namespace: 'nodejs',
        package: 'node',
        state: 'not_affected',
        reason: str(d.reason) ?? str(d.overview) ?? null,
        ranges: [],
        versions: [],
        fixedVersion: null,
        severity: [],
      },
    ],
    extra: { overview: str(d.overview) },
  };
}

const isNpm = (d: unknown): d is Record<string, unknown> =>
  isRecord(d) && 'module_name' in d && 'vulnerable_versions' in d;
const isCore = (d: unknown): d is Record<string, unknown> => isRecord(d) && 'vulnerable' in d && 'cve' in d;
const isDeps = (d: unknown): d is Record<string, unknown> =>
  isRecord(d) && 'cve' in d && 'reason' in d && !('vulnerable' in d);
/** The `index.json` beside each folder: every record of the folder keyed by its number. */
const isIndex = (d: unknown): d is Record<string, unknown> =>
  isRecord(d) &&
  Object.keys(d).length > 0 &&
  Object.entries(d).every(([k, v]) => /^\d+$/.test(k) && (isNpm(v) || isCore(v) || isDeps(v)));

/**
 * nodejs/security-wg: legacy npm (Node Security Project) advisories (`vuln/npm/<n>.json`), Node.js runtime
 * advisories (`vuln/core/<n>.json`) and assessments of bundled dependencies (`vuln/deps`).
 */
export const nodejsSecurityWg = {
  name: 'nodejs-security-wg',
  description:
    'nodejs/security-wg: legacy npm (NSP) advisories, Node.js core advisories, dependency assessments',
  sniff(input: FeedInput): boolean {
    const d = input.doc;
    if (isNpm(d) || isIndex(d)) return true;
    return (isCore(d) || isDeps(d)) && fileNumber(input.name) !== undefined;
  },
  import(input: FeedInput, sink: FeedSink): void {
    const d = input.doc;
    if (isNpm(d)) {
      const r = npmRecord(d, sink);
      if (r) sink.add(r);
      return;
    }
    if (isIndex(d)) {
      for (const [n, v] of Object.entries(d)) {
        const r = isNpm(v)
          ? npmRecord(v, sink)
          : isCore(v)
            ? coreRecord(n, v)
            : depsRecord(n, v as Record<string, unknown>);
        if (r) sink.add(r);
      }
      return;
    }
    const n = fileNumber(input.name)!;
    sink.add(isCore(d) ? coreRecord(n, d) : depsRecord(n, d as Record<string, unknown>));
  },
} satisfies Feed;
