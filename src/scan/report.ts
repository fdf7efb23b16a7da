import type { AssessmentHead } from '../core/assessment.js';
import { envelope } from '../core/envelope.js';
import { lookupTable } from '../core/lookup-table.js';
import type { Report, SarifInput, TableSpec } from '../core/render/index.js';
import { plural } from '../core/render/plural.js';
import type { VulnerabilityFinding } from '../core/results.js';
import { isOsPackageType } from '../core/results.js';
import { SEVERITIES } from '../core/severity.js';
import { TOOL } from '../core/version.js';
import type { LicenseFinding } from '../license/license-findings.js';
import type { DetectionPriority } from '../sbom/os-owned.js';
import type { Package } from '../sbom/types.js';
import type { SecretFinding } from '../secret/types.js';
import { type BaseImage, baseImageLine } from './base-image.js';
import type { NamespaceCoverage } from './coverage.js';
import type { ScannerName } from './scanners.js';
import type { ScanResult } from './types.js';

/** What the scan engine adds to the document for the center: who made it, about what, and the packages. */
export interface ImageScanExtras {
  head: AssessmentHead<{ type: 'image'; id: string; name: string }>;
  artifact: {
    manifestDigest?: string;
    repoDigests?: string[];
    repoTags?: string[];
    /** `host[:port]`, `docker.io` for Docker Hub; absent for local artifacts (directories, archives, SBOMs). */
    registry?: string;
    /** e.g. `library/nginx`. */
    repository?: string;
  };
  /** The PackageList shape, without licenses: what the center re-matches without pulling. */
  packages: Package[];
  /** Per namespace the input needs: records, newest record, covered (CONTRACTS.md); absent without `vuln`. */
  coverage?: NamespaceCoverage[];
  /** What the scan looked for (`--scanners`). */
  scanners?: readonly ScannerName[];
  /** How the image was cataloged (`--detection-priority`); absent for an SBOM input. */
  detectionPriority?: DetectionPriority;
  /** With the `secret` scanner: every secret in the layers, masked. */
  secrets?: SecretFinding[];
  /** With the `license` scanner: each package's licence under the policy. */
  licenses?: LicenseFinding[];
  /** The image it was built on (OCI base labels, history, os-release), when any of them tells. */
  baseImage?: BaseImage;
}

/** What the table shows beyond the vulnerabilities. */
export type ReportSections = Pick<ImageScanExtras, 'scanners' | 'secrets' | 'licenses' | 'baseImage'>;

/**
 * The ImageScan document (CONTRACTS.md) plus fix units, suppressions and expired exceptions; with `extras` (the
 * engine entry point always gives them), also engine, origin, assessed, complete, the artifact's names and packages.
 */
export function scanDocument(r: ScanResult, now?: Date, extras?: ImageScanExtras) {
  return envelope(
    'ImageScan',
    {
      target: r.target,
      ...(extras ? extras.head : {}),
      ...(extras?.scanners ? { scanners: extras.scanners } : {}),
      ...(extras?.detectionPriority ? { detectionPriority: extras.detectionPriority } : {}),
      artifact: extras ? { ...r.artifact, ...extras.artifact } : r.artifact,
      ...(extras?.baseImage ? { baseImage: extras.baseImage } : {}),
      healthy: r.healthy,
      ...(extras?.coverage ? { coverage: extras.coverage } : {}),
      summary: r.summary,
      vulnerabilities: r.vulnerabilities,
      fixUnits: r.fixUnits,
      suppressed: r.suppressed,
      expiredExceptions: r.expiredExceptions,
      ...(extras?.secrets ? { secrets: extras.secrets } : {}),
      ...(extras?.licenses ? { licenses: extras.licenses } : {}),
      ...(extras ? { packages: extras.packages } : {}),
    },
    now,
  );
}

function packageKey(f: VulnerabilityFinding): string {
  return `${f.package.name}@${f.package.version}${f.path && !isOsPackageType(f.package.type) ? ` ${f.path}` : ''}`;
}

/**
 * Findings grouped by package; each group headed by the upgrade that closes most of its findings. Then, when
 * scanned for, a section of the secrets (masked) and one of the licences that are not simply allowed.
 */
export function scanTable(r: ScanResult, more: ReportSections = {}): TableSpec {
  const vuln = !more.scanners || more.scanners.includes('vuln');
  const groups = new Map<string, VulnerabilityFinding[]>();
  for (const f of r.vulnerabilities) {
    const list = groups.get(packageKey(f)) ?? [];
    list.push(f);
    groups.set(packageKey(f), list);
  }
  const sections = [...groups.entries()].map(([key, list]) => {
    const unit = r.fixUnits.find(
      (u) => u.packages.includes(list[0]!.package.name) && u.from === list[0]!.package.version,
    );
    const closes = unit ? list.filter((f) => unit.closes.includes(f.id)).length : 0;
    const fix = unit ? `upgrade → ${unit.to} closes ${closes} of ${list.length}` : 'no fix available';
    return {
      title: `${key} (${list[0]!.package.type}${list[0]!.layerInstruction ? `, ${list[0]!.layerInstruction}` : ''}): ${fix}`,
      rows: list.map((f) => ({
        severity: f.severity,
        // exploited in the wild: said where the eye lands first
        id: f.kev ? `${f.id} (KEV)` : f.id,
        status: f.status,
        fixed: f.fixedVersion ?? '',
        title: f.title ?? f.remediation,
      })),
    };
  });
  const os = r.artifact.os;
  const total = r.vulnerabilities.length;
  const counts = SEVERITIES.map((s) => `${s} ${r.summary[s]}`).join(', ');
  return {
    title: `${r.target}${os ? ` (${os.family} ${os.version}${os.eol ? `, END OF LIFE since ${os.endOfLife}` : ''})` : ''}`,
    columns: [
      { key: 'severity', header: 'SEVERITY' },
      { key: 'id', header: 'VULNERABILITY' },
      { key: 'status', header: 'STATUS' },
      { key: 'fixed', header: 'FIXED IN' },
      { key: 'title', header: 'TITLE', maxWidth: 60 },
    ],
    sections: [...(vuln ? sections : []), ...secretSections(more.secrets), ...licenseSections(more.licenses)],
    footer: [
      vuln
        ? `${plural(total, 'vulnerability', 'vulnerabilities')} in ${plural(r.packages, 'package')} (${counts})${r.healthy === true ? ' — healthy' : r.healthy === null ? ' — NOT ASSESSED: no advisory data for part of the image' : ''}`
        : 'vulnerabilities not scanned (--scanners)',
      ...(more.baseImage ? [baseImageLine(more.baseImage)] : []),
      ...(more.secrets
        ? [`${plural(more.secrets.length, 'secret')}${more.secrets.length ? ' (shown masked)' : ''}`]
        : []),
      ...(more.licenses ? [licenseFooter(more.licenses)] : []),
      ...(r.suppressed.length
        ? [`${r.suppressed.length} suppressed (ignore file, VEX or advisory not_affected)`]
        : []),
      ...r.expiredExceptions.map(
        (e) => `expired exception ${e.id} (expired ${e.expires}): no longer suppresses`,
      ),
    ],
  };
}

/** The secrets as one section, in the table's columns: severity, rule, where (path:line, layer), the masked match. */
function secretSections(secrets: SecretFinding[] | undefined): TableSpec['sections'] {
  if (!secrets?.length) return [];
  return [
    {
      title: 'Secrets, masked (rule, path:line, layer, match)',
      rows: secrets.map((s) => ({
        severity: s.severity,
        id: s.rule,
        status: `${s.path}:${s.line}`,
        fixed: s.layer ? s.layer.replace(/^sha256:/, '').slice(0, 12) : '',
        title: s.match,
      })),
    },
  ];
}

/** Licences denied or for review (allowed ones are only counted), as one section. */
function licenseSections(licenses: LicenseFinding[] | undefined): TableSpec['sections'] {
  const shown = (licenses ?? []).filter((l) => l.classification !== 'allowed');
  if (shown.length === 0) return [];
  return [
    {
      title: 'Licences denied or for review (package, category, type, licence)',
      rows: shown.map((l) => ({
        severity: l.classification.toUpperCase(),
        id: `${l.package}@${l.version}`,
        status: l.category,
        fixed: l.type,
        title: l.license,
      })),
    },
  ];
}

function licenseFooter(licenses: LicenseFinding[]): string {
  const count = (c: LicenseFinding['classification']) =>
    licenses.filter((l) => l.classification === c).length;
  return `${plural(licenses.length, 'licence')}: ${count('denied')} denied, ${count('review')} for review, ${count('allowed')} allowed`;
}

/** SARIF: one rule per vulnerability id, one result per (package, vulnerability), located at the package. */
export function scanSarif(r: ScanResult): SarifInput {
  const rules = new Map<string, SarifInput['rules'][number]>();
  for (const f of r.vulnerabilities) {
    if (rules.has(f.id)) continue;
    rules.set(f.id, {
      id: f.id,
      shortDescription: f.title ?? f.id,
      fullDescription: f.title ?? f.id,
      help: f.remediation,
      severity: f.severity,
      tags: ['vulnerability', f.package.type],
      ...(f.links?.[0] ? { helpUri: f.links[0] } : {}),
    });
  }
  const uri = r.target.replace(/^[a-z-]+:(?!\/\/)/, '') || r.target;
  return {
    rules: [...rules.values()],
    results: r.vulnerabilities.map((f) => ({
      ruleId: f.id,
      message: `${f.package.name} ${f.package.version}: ${f.id} (${f.severity}, ${f.status}). ${f.remediation}`,
      severity: f.severity,
      locations: [{ uri: (f.path ?? uri).replace(/^\//, ''), logicalName: f.package.purl }],
      fingerprint: `${f.id}/${f.package.purl}`,
    })),
    informationUri: 'https://github.com/bulkhead-security/bulkhead',
  };
}

const CDX_SEVERITY: Record<string, string> = lookupTable({
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  UNKNOWN: 'unknown',
});

/** CycloneDX 1.6 with the vulnerabilities (and VEX analysis of suppressed ones). */
export function scanCycloneDx(
  r: ScanResult,
  packages: readonly { purl: string; name: string; version: string }[],
) {
  const components = new Map<string, object>();
  for (const p of packages)
    components.set(p.purl, {
      'bom-ref': p.purl,
      type: 'library',
      name: p.name,
      version: p.version,
      purl: p.purl,
    });
  const byId = new Map<string, VulnerabilityFinding[]>();
  for (const f of r.vulnerabilities) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: {
      tools: { components: [{ type: 'application', name: TOOL.name, version: TOOL.version }] },
      component: { 'bom-ref': 'artifact', type: 'container', name: r.target },
    },
    components: [...components.values()],
    vulnerabilities: [...byId.entries()].map(([id, list]) => {
      const f = list[0]!;
      return {
        'bom-ref': `vuln:${id}`,
        id,
        source: { name: f.dataSource.id },
        ratings: [
          { source: { name: f.severitySource }, severity: CDX_SEVERITY[f.severity] },
          ...(f.cvss ?? [])
            .filter((c) => c.score !== undefined)
            .map((c) => ({
              source: { name: c.source },
              score: c.score,
              method: c.version.startsWith('4')
                ? 'CVSSv4'
                : c.version.startsWith('3')
                  ? c.version === '3.1'
                    ? 'CVSSv31'
                    : 'CVSSv3'
                  : 'CVSSv2',
              vector: c.vector,
            })),
        ],
        ...(f.title ? { description: f.title } : {}),
        recommendation: list.map((x) => x.remediation).join('; '),
        analysis: { state: 'exploitable' },
        affects: [...new Set(list.map((x) => x.package.purl))].map((ref) => ({ ref })),
      };
    }),
  };
}

/** The report the CLI renders. */
export function scanReport(
  r: ScanResult,
  packages: readonly { purl: string; name: string; version: string }[],
  document: object = scanDocument(r),
  more: ReportSections = {},
): Report {
  return {
    document,
    table: () => scanTable(r, more),
    sarif: () => scanSarif(r),
    extra: { cyclonedx: () => `${JSON.stringify(scanCycloneDx(r, packages), null, 2)}\n` },
  };
}
